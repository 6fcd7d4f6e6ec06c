package io.idnode.crypto.keys;

import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnusableKeyException;
import java.io.IOException;
import java.security.PublicKey;
import java.security.spec.KeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Ed25519 keys: no Handle key type (HS_PUBKEY holds them as untyped PEM, cn-extensions.md §2.2 form A); JWK
 * {@code kty} {@code OKP}, {@code crv} {@code Ed25519}, {@code x} the 32-byte public key (RFC 8037 §2).
 */
final class Ed25519KeyEncoding extends SpkiKeyEncoding {
    static final Ed25519KeyEncoding INSTANCE = new Ed25519KeyEncoding();

    private static final String CRV = "Ed25519";
    private static final int KEY_BYTES = 32;

    private Ed25519KeyEncoding() {
        super(SignatureAlgorithm.ED25519);
    }

    @Override
    public Map<String, String> jwkMembers(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null) {
            throw new IllegalArgumentException("Ed25519 public key has no X.509 encoding");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("crv", CRV);
        m.put("x", B64URL.encodeToString(SubjectPublicKeyInfo.getInstance(der).getPublicKeyData().getBytes()));
        return m;
    }

    @Override
    public KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException {
        expectCurve(jwk, CRV);
        byte[] x = member(jwk, "x", KEY_BYTES);
        if (x.length != KEY_BYTES) {
            throw new UnusableKeyException("JWK Ed25519 x must be " + KEY_BYTES + " bytes, was " + x.length);
        }
        try {
            return new X509EncodedKeySpec(new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), x).getEncoded());
        } catch (IOException e) {
            throw new UnusableKeyException("Ed25519 JWK does not encode: " + e.getMessage());
        }
    }
}
