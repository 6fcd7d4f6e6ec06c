package io.idnode.server;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), read line by line: each sample keyed by its
 * metric name and labels in name order, {@code name{a="x",b="y"}}, so tests look up what they expect.
 */
final class MetricsScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final Map<String, Double> samples = new HashMap<>();

    private MetricsScrape() {
    }

    /** Parses {@code text}; a sample line that does not parse fails. */
    static MetricsScrape parse(String text) {
        MetricsScrape scrape = new MetricsScrape();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != m.group(3).length()) {
                    throw new AssertionError("labels do not parse: " + line);
                }
            }
            scrape.samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
        }
        return scrape;
    }

    private static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        if (!labels.isEmpty()) {
            b.setLength(b.length() - 1);
        }
        return b.append('}').toString();
    }

    /** The value of {@code name} with {@code labels} (name, value, name, value...), or 0 if absent. */
    double value(String name, String... labels) {
        Double v = samples.get(name(name, labels));
        return v == null ? 0 : v;
    }

    /** True if the sample is present. */
    boolean has(String name, String... labels) {
        return samples.containsKey(name(name, labels));
    }

    private static String name(String name, String... labels) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return key(name, map);
    }
}
