package io.idnode.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.nio.charset.StandardCharsets;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private Values() {
    }

    /** A {@code URL} value (UTF-8 text, §5.5). */
    public static HandleValue url(int index, String url) {
        return text(index, ValueTypes.URL, url);
    }

    /** An {@code EMAIL} value (UTF-8 text, §5.5). */
    public static HandleValue email(int index, String address) {
        return text(index, ValueTypes.EMAIL, address);
    }

    /** A value of any {@code type} holding UTF-8 text, e.g. {@code DESC}. */
    public static HandleValue text(int index, String type, String text) {
        return HandleValue.builder(index, type).data(text).build();
    }

    /** A value of any {@code type} holding raw bytes (copied). */
    public static HandleValue bytes(int index, String type, byte[] data) {
        return HandleValue.builder(index, type).data(data).build();
    }

    /**
     * A value of {@code type} holding a JSON document, e.g. a product-data record; the text is checked to be one
     * well-formed JSON value and stored compact as UTF-8.
     *
     * @throws IllegalArgumentException naming the position of the first error if {@code json} is not JSON
     */
    public static HandleValue json(int index, String type, String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value " + index + " (" + type + ") is not JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalArgumentException("value " + index + " (" + type + ") is empty, not JSON");
        }
        return HandleValue.builder(index, type).data(tree.toString().getBytes(StandardCharsets.UTF_8)).build();
    }

    /**
     * An {@code HS_ADMIN} value (§5.2) granting {@code admin} (an identity {@code index:handle}; index 0 means
     * any index of that handle) the {@link io.idnode.model.AdminValue} permission bits {@code permissions}.
     */
    public static HandleValue admin(int index, ValueReference admin, int permissions) {
        if ((permissions & ~AdminValue.ALL) != 0) {
            throw new IllegalArgumentException("admin permissions are 12 bits (0..0xFFF), got 0x"
                    + Integer.toHexString(permissions));
        }
        return HandleValue.builder(index, ValueTypes.HS_ADMIN)
                .data(AdminValueCodec.encode(new AdminValue(permissions, admin.handle(), admin.index()))).build();
    }

    /** {@link #admin(int, ValueReference, int)} with the identity written {@code index:handle}. */
    public static HandleValue admin(int index, String admin, int permissions) {
        return admin(index, Identity.parseReference(admin), permissions);
    }

    /**
     * An {@code HS_PUBKEY} value (§5.4) holding {@code key} in the Handle encoding, making the handle an identity
     * that proves itself with the private half.
     *
     * @throws IllegalArgumentException if the key's algorithm has no Handle encoding
     */
    public static HandleValue publicKey(int index, PublicKey key) {
        return HandleValue.builder(index, ValueTypes.HS_PUBKEY)
                .data(new HandleKeyCodec(ClientCrypto.providers()).encodePublicKey(key)).build();
    }

    /**
     * An {@code HS_SECKEY} value (§5.4) holding {@code secret} (copied), readable and writable by administrators
     * only (permissions 0x0C): the secret is never sent in a public resolution.
     */
    public static HandleValue secretKey(int index, byte[] secret) {
        return HandleValue.builder(index, ValueTypes.HS_SECKEY).data(secret)
                .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).build();
    }

    /** An {@code HS_VLIST} value (§5.5): an admin group of the identities {@code members}. */
    public static HandleValue valueList(int index, List<ValueReference> members) {
        return HandleValue.builder(index, ValueTypes.HS_VLIST).data(ValueListCodec.encode(members)).build();
    }
}
