package io.idnode.loadgen;

import io.idnode.json.RecordJsonWriter;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The records benchmarks and load tests resolve: a product identifier with a URL, a description and a
 * small JSON document (three public values, a reply of 345 bytes, one UDP datagram).
 */
public final class SampleRecords {
    private SampleRecords() {
    }

    /** The sample record of {@code handle}, its values stamped {@code unixSeconds}. */
    public static HandleRecord record(String handle, int unixSeconds) {
        String serial = handle.substring(handle.lastIndexOf('/') + 1);
        return HandleRecord.of(handle, List.of(
                HandleValue.builder(1, ValueTypes.URL).data("https://example.com/products/" + serial)
                        .timestamp(unixSeconds).build(),
                HandleValue.builder(2, ValueTypes.DESC).data("Centrifugal pump CP-200, serial " + serial)
                        .timestamp(unixSeconds).build(),
                HandleValue.builder(3, "PRODUCT_DATA")
                        .data("{\"name\":\"CP-200\",\"serial\":\"" + serial
                                + "\",\"manufacturer\":\"Example Pumps Co.\",\"status\":\"in-service\"}")
                        .timestamp(unixSeconds).build()));
    }

    /** Writes one record per key of {@code keys} as JSON Lines, the input of {@code resolver-server import}. */
    public static void writeJsonLines(KeyPattern keys, Path file) throws IOException {
        int now = (int) (System.currentTimeMillis() / 1000);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < keys.count(); i++) {
                out.write(RecordJsonWriter.STANDARD.writeRecord(record(keys.key(i), now)));
                out.write('\n');
            }
        }
    }
}
