package io.idnode.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of an API request: the query string's, or a POST's JSON body's properties (handle-protocol.md §8),
 * checked against the names the operation knows; booleans as §8 reads them (present without a value, {@code true},
 * {@code yes}).
 */
final class ApiParameters {
    private final Map<String, List<String>> values;

    ApiParameters(Map<String, List<String>> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** Refuses any parameter not in {@code known}, naming it. */
    ApiParameters only(Set<String> known) throws ApiProblem {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw ApiProblem.badRequest("unknown parameter '" + name + "'; this request takes "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return this;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String one(String name) {
        List<String> v = all(name);
        return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The boolean {@code name}, {@code absent} when it is not given. */
    boolean bool(String name, boolean absent) throws ApiProblem {
        if (!values.containsKey(name)) {
            return absent;
        }
        String v = one(name);
        return switch (v == null ? "" : v.toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw ApiProblem.badRequest("parameter '" + name + "' must be true or false, was '" + v + "'");
        };
    }

    /** The integer {@code name} in {@code min..max}, {@code absent} when it is not given. */
    int integer(String name, int absent, int min, int max) throws ApiProblem {
        String v = one(name);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("parameter '" + name + "' must be a whole number " + min + ".." + max + ", was '"
                + v + "'");
    }

    /** Every {@code index} given, as numbers 0..2^31-1. */
    int[] indexes() throws ApiProblem {
        List<Integer> out = new ArrayList<>();
        for (String v : all("index")) {
            for (String part : v.split(",")) {
                try {
                    int n = Integer.parseInt(part.strip());
                    if (n >= 0) {
                        out.add(n);
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw ApiProblem.badRequest("parameter 'index' must be a value index (a whole number 0 or more), was '"
                        + part + "'");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
