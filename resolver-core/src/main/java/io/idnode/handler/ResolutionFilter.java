package io.idnode.handler;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
import java.util.ArrayList;
import java.util.List;

/**
 * The value selection of a resolution (handle-protocol.md §4.1): with no index and no type given, every
 * value; otherwise the union of values whose index is listed and values whose type matches a listed type
 * (ASCII case-insensitive; a type ending in '.' also matches its subtypes).
 */
public final class ResolutionFilter {
    private ResolutionFilter() {
    }

    /** The values of {@code values} selected by {@code indexes} and {@code types}, in stored order. */
    public static List<HandleValue> select(List<HandleValue> values, int[] indexes, List<String> types) {
        if (indexes.length == 0 && types.isEmpty()) {
            return values;
        }
        List<HandleValue> out = new ArrayList<>(Math.min(values.size(), 8));
        for (HandleValue v : values) {
            if (matches(v, indexes, types)) {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean matches(HandleValue v, int[] indexes, List<String> types) {
        for (int i : indexes) {
            if (v.index() == i) {
                return true;
            }
        }
        for (int i = 0, n = types.size(); i < n; i++) {
            if (v.matchesTypeQuery(types.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** The values anyone may read (public-read bit set). Returns {@code values} itself when all are. */
    public static List<HandleValue> publicOnly(List<HandleValue> values) {
        if (values instanceof ValueList list && list.allPublicReadable()) {
            return values;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isPublicReadable()) {
                List<HandleValue> out = new ArrayList<>(values.size() - 1);
                for (HandleValue v : values) {
                    if (v.isPublicReadable()) {
                        out.add(v);
                    }
                }
                return out;
            }
        }
        return values;
    }
}
