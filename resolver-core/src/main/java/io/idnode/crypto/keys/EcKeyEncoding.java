package io.idnode.crypto.keys;

import io.idnode.crypto.EcCurve;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnusableKeyException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.KeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * ECDSA P-256 keys: no Handle key type (HS_PUBKEY holds them as untyped PEM, cn-extensions.md §2.2 form A);
 * JWK {@code crv} {@code P-256} with {@code x}, {@code y} as 32-byte big-endian coordinates (RFC 7518 §6.2.1).
 */
final class EcKeyEncoding extends SpkiKeyEncoding {
    static final EcKeyEncoding INSTANCE = new EcKeyEncoding();

    private static final String CRV = "P-256";

    private EcKeyEncoding() {
        super(SignatureAlgorithm.ECDSA_P256);
    }

    @Override
    public Map<String, String> jwkMembers(PublicKey key) {
        ECPublicKey ec = KeyEncoding.fields(key, ECPublicKey.class);
        int n = EcCurve.P256.coordinateBytes();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("crv", CRV);
        m.put("x", B64URL.encodeToString(fixed(ec.getW().getAffineX(), n)));
        m.put("y", B64URL.encodeToString(fixed(ec.getW().getAffineY(), n)));
        return m;
    }

    @Override
    public KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException {
        expectCurve(jwk, CRV);
        int n = EcCurve.P256.coordinateBytes();
        byte[] x = member(jwk, "x", n);
        byte[] y = member(jwk, "y", n);
        if (x.length != n || y.length != n) {
            throw new UnusableKeyException("JWK P-256 coordinates must be " + n + " bytes each");
        }
        byte[] point = new byte[1 + 2 * n];
        point[0] = 0x04;
        System.arraycopy(x, 0, point, 1, n);
        System.arraycopy(y, 0, point, 1 + n, n);
        KeyDer.checkPoint(EcCurve.P256, point);
        try {
            AlgorithmIdentifier id = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    new ASN1ObjectIdentifier(EcCurve.P256.oid()));
            return new X509EncodedKeySpec(new SubjectPublicKeyInfo(id, point).getEncoded());
        } catch (java.io.IOException e) {
            throw new UnusableKeyException("P-256 JWK does not encode: " + e.getMessage());
        }
    }
}
