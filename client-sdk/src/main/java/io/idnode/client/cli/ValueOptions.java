package io.idnode.client.cli;

import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The values given on the command line: {@code --value INDEX:TYPE=DATA} and {@code --values-json JSON}. */
final class ValueOptions {
    @Option(names = "--value", paramLabel = "INDEX:TYPE=DATA", description = "A value, e.g. 1:URL=https://example.com"
            + "/p/1, 100:HS_ADMIN=300:owner:88.100.1/LINE-1, 300:HS_PUBKEY=line1.pub.pem (repeatable).")
    List<String> specs = new ArrayList<>();

    @Option(names = "--values-json", paramLabel = "JSON", description = "Values as a JSON array of value objects,"
            + " the node's import form, for permissions, TTLs and data formats the --value form lacks.")
    String json;

    /** The values, at least one, indexes unique; fails naming the value at fault. */
    List<HandleValue> values(ValueText text) throws CommandFailure {
        List<HandleValue> values = new ArrayList<>();
        for (String spec : specs) {
            try {
                values.add(text.parseSpec(spec));
            } catch (InputException e) {
                throw CommandFailure.usage("--value " + e.getMessage());
            }
        }
        if (json != null) {
            try {
                values.addAll(RecordJsonReader.STANDARD.readValues(json, 0));
            } catch (JsonFormatException e) {
                throw CommandFailure.usage("--values-json " + e.getMessage());
            }
        }
        if (values.isEmpty()) {
            throw CommandFailure.usage("no value given: add --value INDEX:TYPE=DATA, e.g. --value 1:URL=https://"
                    + "example.com/p/1");
        }
        Set<Integer> indexes = new HashSet<>();
        for (HandleValue v : values) {
            if (!indexes.add(v.index())) {
                throw CommandFailure.usage("index " + v.index() + " is given twice");
            }
        }
        return values;
    }
}
