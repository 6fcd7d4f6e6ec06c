package io.idnode.server;

import io.idnode.model.ValueTypes;
import io.idnode.model.ValuePermissions;
import static io.idnode.server.PrefixRecords.adminValue;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example product identifiers for trying a node out ({@code demo}): three products and a batch under the
 * first prefix, administered by the prefix's administrator, one batch value readable by administrators only.
 */
final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private DemoData() {
    }

    /** Example product identifiers under {@code prefix}, created if absent. Returns their handles. */
    static List<String> ensure(RecordStore store, String prefix, long nowMillis) {
        int now = (int) (nowMillis / 1000);
        String admin = Handles.prefixHandle(prefix);
        List<HandleRecord> demo = List.of(
                product(prefix + "/PUMP-2026-000123", "Centrifugal pump CP-200, serial 000123",
                        "https://example.com/products/PUMP-2026-000123", now, admin),
                product(prefix + "/VALVE-2026-004711", "Ball valve BV-50, batch 2026-11",
                        "https://example.com/products/VALVE-2026-004711", now, admin),
                product(prefix + "/MOTOR-2026-000042", "Induction motor IM-7.5kW, serial 000042",
                        "https://example.com/products/MOTOR-2026-000042", now, admin),
                HandleRecord.of(prefix + "/BATCH-2026-11", List.of(
                        HandleValue.builder(1, ValueTypes.URL).data("https://example.com/batches/2026-11").timestamp(now)
                                .build(),
                        HandleValue.builder(2, ValueTypes.DESC).data("Production batch of November 2026").timestamp(now)
                                .build(),
                        HandleValue.builder(3, ValueTypes.EMAIL).data("quality@example.com").timestamp(now).build(),
                        HandleValue.builder(4, "QA_NOTE").data("internal: released after re-test")
                                .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(now)
                                .build(),
                        adminValue(admin, now))));
        List<RecordStore.RecordWrite> writes = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (HandleRecord r : demo) {
            handles.add(r.handle());
            if (store.get(r.handle()) == null) {
                writes.add(RecordStore.RecordWrite.put(new HandleRecord(r.handle(), r.values(),
                        new RecordMetadata(nowMillis, nowMillis, "node", 1))));
            }
        }
        if (!writes.isEmpty()) {
            store.write(writes);
            LOG.info("created {} demo records under {}", writes.size(), prefix);
        }
        return handles;
    }

    private static HandleRecord product(String handle, String desc, String url, int now, String admin) {
        String data = "{\"name\":\"" + desc + "\",\"manufacturer\":\"Example Pumps Co.\",\"status\":\"in-service\"}";
        return HandleRecord.of(handle, List.of(
                HandleValue.builder(1, ValueTypes.URL).data(url).timestamp(now).build(),
                HandleValue.builder(2, ValueTypes.DESC).data(desc).timestamp(now).build(),
                HandleValue.builder(3, "PRODUCT_DATA").data(data).timestamp(now).build(),
                adminValue(admin, now)));
    }
}
