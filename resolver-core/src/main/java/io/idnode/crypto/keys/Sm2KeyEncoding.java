package io.idnode.crypto.keys;

import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnusableKeyException;
import java.security.PublicKey;
import java.security.spec.KeySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SM2 keys (cn-extensions.md §2): {@code SM2_PUB_KEY} with the SubjectPublicKeyInfo as DER (written) or PEM
 * text (read too), §2.2 form B; JWK {@code {"kty":"SM2","d":…}} where {@code d} is base64url without padding of
 * the DER SubjectPublicKeyInfo (§5.1: the member is {@code d} and holds the public key).
 */
final class Sm2KeyEncoding extends SpkiKeyEncoding {
    static final Sm2KeyEncoding INSTANCE = new Sm2KeyEncoding();

    private Sm2KeyEncoding() {
        super(SignatureAlgorithm.SM2);
    }

    @Override
    public Map<String, String> jwkMembers(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IllegalArgumentException("SM2 public key has no X.509 encoding");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("d", B64URL.encodeToString(der));
        return m;
    }

    @Override
    public KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException {
        return ownSpki(member(jwk, "d", MAX_FIELD_BYTES), "SM2 JWK d");
    }
}
