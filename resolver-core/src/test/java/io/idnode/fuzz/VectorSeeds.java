package io.idnode.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The golden vectors of {@code shared/spec/vectors/} as fuzzing seeds, read in place at test time: in a
 * regression run every seed is one invocation of the fuzz test, and in a fuzzing run Jazzer adds them to its
 * corpus before it mutates. Nothing of the vector files is copied into the repository.
 */
final class VectorSeeds {
    private VectorSeeds() {
    }

    /** Every whole frame (envelope + message) of both vector files, named after its vector. */
    static List<Named<byte[]>> frames() {
        return hexFields("tcp_hex");
    }

    /** Every value-data vector (the data of HS_ADMIN, HS_SITE, HS_VLIST, keys, ...), named after its vector. */
    static List<Named<byte[]>> valueData() {
        return hexFields("data_hex");
    }

    /** Every encoded handle value (handle-protocol.md §5.1), named after its vector. */
    static List<Named<byte[]>> values() {
        return hexFields("value_hex");
    }

    /** The frame of one named vector of either file. */
    static byte[] frame(String name) {
        return Vectors.hex(Vectors.vector(name).get("tcp_hex").asText());
    }

    /** Seeds as the single argument of a {@code byte[]} fuzz test. */
    static Stream<Named<byte[]>> stream(List<Named<byte[]>> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalStateException("no seeds: the vector files have none of the fields asked for");
        }
        return seeds.stream();
    }

    private static List<Named<byte[]>> hexFields(String field) {
        List<Named<byte[]>> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has(field)) {
                    out.add(Named.of(v.get("name").asText(), Vectors.hex(v.get(field).asText())));
                }
            }
        }
        return out;
    }
}
