package io.idnode.store;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import java.util.List;

/** Records for store and cache tests. */
public final class TestRecords {
    private TestRecords() {
    }

    /** A record with one URL value holding {@code url} and the given metadata version. */
    public static HandleRecord url(String handle, String url, long version) {
        HandleValue v = HandleValue.builder(1, "URL").timestamp(1_700_000_000).data(url).build();
        return new HandleRecord(handle, List.of(v), new RecordMetadata(1_000, 2_000 + version, "300:0.NA/88.100.1", version));
    }

    /** A record with one URL value and no metadata. */
    public static HandleRecord url(String handle, String url) {
        return HandleRecord.of(handle, List.of(HandleValue.builder(1, "URL").data(url).build()));
    }

    /** A record whose values exercise every field of the §5.1 encoding. */
    public static HandleRecord unusual(String handle) {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        return new HandleRecord(handle, List.of(
                HandleValue.builder(1, "URL").timestamp(1_600_000_000).data("https://example.org/a?b=c").build(),
                HandleValue.builder(2, "EMAIL").ttl(HandleValue.TTL_ABSOLUTE, 2_000_000_000)
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.PUBLIC_WRITE).data("ops@example.org").build(),
                HandleValue.builder(300, "APP.binary").data(binary)
                        .references(List.of(new ValueReference("0.NA/88.100.1", 200), new ValueReference("88.100.1/Ü", 1)))
                        .build(),
                HandleValue.builder(7, "").ttl(HandleValue.TTL_RELATIVE, 0).permissions(0).build()),
                new RecordMetadata(1_650_000_000_000L, 1_650_000_123_456L, "300:0.NA/88.100.1", 42));
    }

    /** A record with values of the given relative TTLs (seconds), at indexes 1, 2, ... */
    public static HandleRecord withTtls(String handle, int... ttls) {
        HandleValue[] values = new HandleValue[ttls.length];
        for (int i = 0; i < ttls.length; i++) {
            values[i] = HandleValue.builder(i + 1, "URL").ttl(HandleValue.TTL_RELATIVE, ttls[i]).data("v" + i).build();
        }
        return HandleRecord.of(handle, List.of(values));
    }
}
