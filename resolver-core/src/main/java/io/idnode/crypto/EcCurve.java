package io.idnode.crypto;

import java.math.BigInteger;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Objects;

/**
 * A named elliptic curve of a {@link SignatureAlgorithm} entry: its standard name (for key generators), the OID
 * that X.509 and PKCS#8 encodings carry as the parameters of id-ecPublicKey, and the field prime and group
 * order that tell a JCA key's curve apart whichever provider made it. EC-based entries share the key
 * algorithm {@code EC} and the key OID, so the curve is what separates them.
 *
 * @param name the standard curve name, e.g. {@code secp256r1}
 * @param oid the curve OID, dotted
 * @param fieldPrime the prime p of the curve's field
 * @param order the order n of its base point
 */
public record EcCurve(String name, String oid, BigInteger fieldPrime, BigInteger order) {
    /** NIST P-256 (SEC 2 secp256r1, OID 1.2.840.10045.3.1.7), the curve of ES256. */
    public static final EcCurve P256 = new EcCurve("secp256r1", "1.2.840.10045.3.1.7",
            new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16),
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));

    /** The SM2 recommended curve sm2p256v1 (GB/T 32918.5, OID 1.2.156.10197.1.301), cn-extensions.md §2.1. */
    public static final EcCurve SM2P256V1 = new EcCurve("sm2p256v1", "1.2.156.10197.1.301",
            new BigInteger("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", 16),
            new BigInteger("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16));

    /** Checks the fields. */
    public EcCurve {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(fieldPrime, "fieldPrime");
        Objects.requireNonNull(order, "order");
    }

    /** The size of a coordinate (and of a private scalar) in bytes: 32 for both curves here. */
    public int coordinateBytes() {
        return (fieldPrime.bitLength() + 7) / 8;
    }

    /** Whether {@code key} is an EC key on this curve (compared by field prime and order, not by name). */
    public boolean holds(Key key) {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        ECParameterSpec params = ec.getParams();
        if (params == null) {
            return false;
        }
        ECField field = params.getCurve().getField();
        return field instanceof ECFieldFp fp && fp.getP().equals(fieldPrime) && params.getOrder().equals(order);
    }
}
