package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import java.security.PublicKey;
import java.util.List;

/**
 * Builders of the handle values a factory registers (handle-protocol.md §5), with the defaults of §5.1
 * (TTL 86400 s relative, permissions admin read and write plus public read) unless a type needs others. For
 * other TTLs or permissions, {@link HandleValue#toBuilder()} on the result; for any other type,
 * {@link #text} or {@link #bytes}.
 *
 * <pre>
 * List.of(Values.url(1, "https://example.com/p/124"),
 *         Values.json(2, "PRODUCT_DATA", "{\"model\":\"P-200\",\"batch\":\"B7\"}"),
 *         Values.admin(100, "300:0.NA/88.100.1", AdminPermissions.ALL))
 * </pre>
 */
public final class Values {
    private Values() {
    }

    /** A {@code URL} value (UTF-8 text, §5.5). */
    public static HandleValue url(int index, String url) {
        throw new UnsupportedOperationException("not yet");
    }

    /** An {@code EMAIL} value (UTF-8 text, §5.5). */
    public static HandleValue email(int index, String address) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A value of any {@code type} holding UTF-8 text, e.g. {@code DESC}. */
    public static HandleValue text(int index, String type, String text) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A value of any {@code type} holding raw bytes (copied). */
    public static HandleValue bytes(int index, String type, byte[] data) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * A value of {@code type} holding a JSON document, e.g. a product-data record; the text is checked to be one
     * well-formed JSON value and stored compact as UTF-8.
     *
     * @throws IllegalArgumentException naming the position of the first error if {@code json} is not JSON
     */
    public static HandleValue json(int index, String type, String json) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * An {@code HS_ADMIN} value (§5.2) granting {@code admin} (an identity {@code index:handle}; index 0 means
     * any index of that handle) the {@link io.idnode.model.AdminValue} permission bits {@code permissions}.
     */
    public static HandleValue admin(int index, ValueReference admin, int permissions) {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@link #admin(int, ValueReference, int)} with the identity written {@code index:handle}. */
    public static HandleValue admin(int index, String admin, int permissions) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * An {@code HS_PUBKEY} value (§5.4) holding {@code key} in the Handle encoding, making the handle an identity
     * that proves itself with the private half.
     *
     * @throws IllegalArgumentException if the key's algorithm has no Handle encoding
     */
    public static HandleValue publicKey(int index, PublicKey key) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * An {@code HS_SECKEY} value (§5.4) holding {@code secret} (copied), readable and writable by administrators
     * only (permissions 0x0C): the secret is never sent in a public resolution.
     */
    public static HandleValue secretKey(int index, byte[] secret) {
        throw new UnsupportedOperationException("not yet");
    }

    /** An {@code HS_VLIST} value (§5.5): an admin group of the identities {@code members}. */
    public static HandleValue valueList(int index, List<ValueReference> members) {
        throw new UnsupportedOperationException("not yet");
    }
}
