package io.idnode.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's defaults, read once from {@value #RESOURCE} in this module's resources: the one place each
 * default is written, shared by {@link NodeConfig#builder()} and the command line's help. Keys are the
 * command-line option names without their dashes; an empty value means the setting has no default.
 */
final class NodeDefaults {
    /** Name of the defaults file on the class path. */
    static final String RESOURCE = "idnode-defaults.properties";

    private static final Map<String, String> VALUES = load();

    private NodeDefaults() {
    }

    /** The default of {@code key}; fails if the file lacks it, which is a build defect, not a user error. */
    static String value(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException(RESOURCE + " has no setting " + key));
    }

    /** The default of {@code key}, if the file has it. */
    static Optional<String> find(String key) {
        return Optional.ofNullable(VALUES.get(key));
    }

    /** Every key of the file. */
    static Set<String> keys() {
        return VALUES.keySet();
    }

    private static Map<String, String> load() {
        Properties p = new Properties();
        try (InputStream in = NodeDefaults.class.getResourceAsStream("/" + RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        return Map.copyOf(values);
    }
}
