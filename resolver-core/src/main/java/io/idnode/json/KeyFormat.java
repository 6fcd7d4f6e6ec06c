package io.idnode.json;

import io.idnode.codec.CodecException;
import io.idnode.crypto.HandleKeyCodec;
import io.idnode.crypto.Jwk;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key} format of HS_PUBKEY data (handle-protocol.md §5.4, §8): the public key as a JSON Web Key,
 * RSA {@code {"kty":"RSA","n","e"}} or DSA {@code {"kty":"DSA","y","p","q","g"}}. Keys of other types (DH) have
 * no JWK form and are shown as base64.
 */
final class KeyFormat implements DataFormat<PublicKey> {
    @Override
    public String name() {
        return "key";
    }

    @Override
    public PublicKey decode(byte[] data) {
        try {
            PublicKey key = HandleKeyCodec.DEFAULT.decodePublicKey(data);
            return key instanceof RSAPublicKey || key instanceof DSAPublicKey ? key : null;
        } catch (CodecException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(PublicKey value) {
        return HandleKeyCodec.encodePublicKey(value);
    }

    @Override
    public PublicKey read(JsonInput in) throws JsonFormatException {
        in.startObject();
        Map<String, String> jwk = new LinkedHashMap<>();
        String name;
        while ((name = in.nextField()) != null) {
            jwk.put(name, in.string());
        }
        try {
            return Jwk.fromJwk(jwk);
        } catch (CodecException e) {
            throw in.error(e.getMessage());
        }
    }

    @Override
    public void write(PublicKey value, JsonOutput out) {
        out.startObject();
        Jwk.toJwk(value).forEach(out::field);
        out.endObject();
    }
}
