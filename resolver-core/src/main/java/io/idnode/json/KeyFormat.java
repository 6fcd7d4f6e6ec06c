package io.idnode.json;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.Jwk;
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
    private final HandleKeyCodec codec;
    private final Jwk jwk;

    /** The key format decoding and mapping keys with the engines of {@code providers}. */
    KeyFormat(CryptoProviders providers) {
        this.codec = new HandleKeyCodec(providers);
        this.jwk = new Jwk(providers);
    }

    @Override
    public String name() {
        return "key";
    }

    @Override
    public PublicKey decode(byte[] data) {
        try {
            PublicKey key = codec.decodePublicKey(data);
            return key instanceof RSAPublicKey || key instanceof DSAPublicKey ? key : null;
        } catch (CryptoException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(PublicKey value) {
        return codec.encodePublicKey(value);
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
            return this.jwk.fromJwk(jwk);
        } catch (CryptoException e) {
            throw in.error(e.getMessage());
        }
    }

    @Override
    public void write(PublicKey value, JsonOutput out) {
        out.startObject();
        Map<String, String> fields;
        try {
            fields = jwk.toJwk(value);
        } catch (UnsupportedAlgorithmException e) {
            // decode() only yields RSA and DSA keys, which always have a JWK form.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        fields.forEach(out::field);
        out.endObject();
    }
}
