package io.idnode.json;

import io.idnode.crypto.CryptoProviders;
import io.idnode.model.ValueTypes;
import io.idnode.model.ValuePermissions;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data formats a reader accepts, by name, and the one a writer shows each value type in (handle-protocol.md
 * §8). Immutable; {@link #with} gives a copy with one more format, which is how a new format plugs in.
 */
public final class DataFormats {
    static final StringFormat STRING = new StringFormat();
    static final BinaryTextFormat BASE64 = BinaryTextFormat.BASE64;
    static final BinaryTextFormat HEX = BinaryTextFormat.HEX;
    /**
     * The key format's own provider context: the formats are shared constants used by readers and writers that
     * have no node around them (tools, tests), so this is the one place the json package creates providers.
     */
    static final KeyFormat KEY = new KeyFormat(CryptoProviders.create());
    /** No formats: where every registry starts; declared before {@link #SITE}, which builds on it. */
    static final DataFormats NONE = new DataFormats(Map.of(), List.of());
    static final SiteFormat SITE = new SiteFormat(KEY);

    /**
     * The formats of §8: string, base64, hex, admin (HS_ADMIN), vlist (HS_VLIST), site (HS_SITE and its subtypes,
     * HS_NA_DELEGATE) and key (HS_PUBKEY). Other types are shown as string, or as base64 when not text.
     */
    public static final DataFormats STANDARD = NONE
            .with(STRING).with(BASE64).with(HEX)
            .with(new AdminFormat(), ValueTypes.HS_ADMIN)
            .with(new VlistFormat(), ValueTypes.HS_VLIST)
            .with(SITE, ValueTypes.HS_SITE, ValueTypes.HS_NA_DELEGATE)
            .with(KEY, ValueTypes.HS_PUBKEY);

    private final Map<String, DataFormat<?>> byName;
    private final List<TypeFormat> byType;

    private record TypeFormat(String type, DataFormat<?> format) {
    }

    private DataFormats(Map<String, DataFormat<?>> byName, List<TypeFormat> byType) {
        this.byName = byName;
        this.byType = byType;
    }

    /**
     * These formats and {@code format}, which is the one shown for values of {@code types} and their subtypes
     * ({@code T.x}, §5.1). It replaces any format of the same name, also for the types that one was shown for.
     */
    public DataFormats with(DataFormat<?> format, String... types) {
        Map<String, DataFormat<?>> names = new LinkedHashMap<>(byName);
        names.put(format.name(), format);
        List<TypeFormat> typed = new ArrayList<>();
        for (String type : types) {
            typed.add(new TypeFormat(type, format));
        }
        for (TypeFormat t : byType) {
            typed.add(t.format.name().equals(format.name()) ? new TypeFormat(t.type, format) : t);
        }
        return new DataFormats(Collections.unmodifiableMap(names), List.copyOf(typed));
    }

    /** The format named {@code name}, or null. */
    public DataFormat<?> named(String name) {
        return byName.get(name);
    }

    /** The format values of {@code value}'s type are shown in, or null for string or base64. */
    public DataFormat<?> forValue(HandleValue value) {
        for (TypeFormat t : byType) {
            if (value.hasType(t.type)) {
                return t.format;
            }
        }
        return null;
    }

    /** The names, for messages: {@code string, base64, ...}. */
    String names() {
        return String.join(", ", byName.keySet());
    }
}
