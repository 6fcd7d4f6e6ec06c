package io.idnode.crypto.keys;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.EcCurve;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The standard key structures every registry algorithm shares: X.509 SubjectPublicKeyInfo and PKCS#8
 * PrivateKeyInfo DER (which entry a structure belongs to, from its algorithm OID and curve), and PEM armour
 * (RFC 7468) as key files and the untyped HS_PUBKEY form of cn-extensions.md §2.2 (form A) hold it.
 */
final class KeyDer {
    /** PEM label of an X.509 SubjectPublicKeyInfo. */
    static final String PUBLIC_LABEL = "PUBLIC KEY";
    /** PEM label of a PKCS#8 PrivateKeyInfo. */
    static final String PRIVATE_LABEL = "PRIVATE KEY";
    /** PEM label of a PKCS#8 EncryptedPrivateKeyInfo. */
    static final String ENCRYPTED_PRIVATE_LABEL = "ENCRYPTED PRIVATE KEY";

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";

    private KeyDer() {
    }

    /**
     * The registry entry of a SubjectPublicKeyInfo ({@code isPrivate} false) or PrivateKeyInfo DER.
     *
     * @throws UnusableKeyException if the DER does not parse
     * @throws UnsupportedAlgorithmException if the algorithm (or an EC key's curve) has no entry
     */
    static SignatureAlgorithm algorithmOf(byte[] der, boolean isPrivate)
            throws UnusableKeyException, UnsupportedAlgorithmException {
        AlgorithmIdentifier id;
        try {
            id = isPrivate ? PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm()
                    : SubjectPublicKeyInfo.getInstance(der).getAlgorithm();
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // BouncyCastle's ASN.1 parser reports malformed DER with these unchecked exceptions.
            throw new UnusableKeyException("invalid " + (isPrivate ? "PKCS#8 private" : "X.509 public") + " key: "
                    + e.getMessage());
        }
        String oid = id.getAlgorithm().getId();
        ASN1Encodable params = id.getParameters();
        String curve = params instanceof ASN1ObjectIdentifier c ? c.getId() : null;
        return SignatureAlgorithm.forKeyOid(oid, curve).orElseThrow(() -> new UnsupportedAlgorithmException(
                "unsupported key algorithm " + oid + (curve == null ? "" : " on curve " + curve) + " ("
                        + SignatureAlgorithm.describe(SignatureAlgorithm::keyName) + " keys only)"));
    }

    /**
     * The public key of a SubjectPublicKeyInfo DER, made by the engines of its entry; an EC point is checked
     * to lie on the curve first.
     *
     * @throws UnusableKeyException if the DER does not parse, the point is not on the curve, or the engine
     *         refuses the key
     * @throws UnsupportedAlgorithmException if the algorithm or curve has no entry
     */
    static PublicKey publicKey(CryptoProviders providers, byte[] spki)
            throws UnusableKeyException, UnsupportedAlgorithmException {
        SignatureAlgorithm alg = algorithmOf(spki, false);
        return publicKey(providers, alg, spki);
    }

    /**
     * The public key of a SubjectPublicKeyInfo DER already known to be of {@code alg}.
     *
     * @throws UnusableKeyException if the point is not on the curve or the engine refuses the key
     */
    static PublicKey publicKey(CryptoProviders providers, SignatureAlgorithm alg, byte[] spki)
            throws UnusableKeyException {
        checkCurvePoint(alg, spki);
        try {
            return providers.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new UnusableKeyException("invalid " + alg + " public key: " + e.getMessage());
        }
    }

    /**
     * For an EC entry, checks that the point of a SubjectPublicKeyInfo DER (parsed already) lies on its curve.
     *
     * @throws UnusableKeyException if it does not
     */
    static void checkCurvePoint(SignatureAlgorithm alg, byte[] spki) throws UnusableKeyException {
        if (alg.curve().isPresent()) {
            checkPoint(alg.curve().get(), SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes());
        }
    }

    /**
     * Checks that an encoded point is a valid point of {@code curve} (on the curve, not infinity).
     *
     * @throws UnusableKeyException if it is not
     */
    static void checkPoint(EcCurve curve, byte[] point) throws UnusableKeyException {
        X9ECParameters params = ECNamedCurveTable.getByOID(new ASN1ObjectIdentifier(curve.oid()));
        try {
            if (params.getCurve().decodePoint(point).isInfinity()) {
                throw new UnusableKeyException("public point of " + curve.name() + " is the point at infinity");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UnusableKeyException("public point is not on curve " + curve.name() + ": " + e.getMessage());
        }
    }

    /** Whether {@code data} starts (after blanks) with a PEM header line. */
    static boolean looksLikePem(byte[] data) {
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
            i++;
        }
        byte[] begin = BEGIN.getBytes(StandardCharsets.US_ASCII);
        if (data.length - i < begin.length) {
            return false;
        }
        for (int k = 0; k < begin.length; k++) {
            if (data[i + k] != begin[k]) {
                return false;
            }
        }
        return true;
    }

    /** The label of the first PEM block of {@code text}, or {@code null} if it has no well-formed header. */
    static String label(String text) {
        int begin = text.indexOf(BEGIN);
        if (begin < 0) {
            return null;
        }
        int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
        return labelEnd < 0 ? null : text.substring(begin + BEGIN.length(), labelEnd);
    }

    /**
     * The DER inside the first PEM block of {@code text}, which must be labelled {@code label}; line lengths
     * and line ends (LF or CRLF) are free, blanks around the block are ignored.
     *
     * @throws UnusableKeyException saying what is wrong with the armour
     */
    static byte[] pemBody(String text, String label) throws UnusableKeyException {
        String found = label(text);
        if (found == null) {
            throw new UnusableKeyException("not a PEM text (no -----BEGIN line)");
        }
        if (!found.equals(label)) {
            throw new UnusableKeyException("PEM block \"" + found + "\", expected \"" + label + "\"");
        }
        int start = text.indexOf(DASHES, text.indexOf(BEGIN) + BEGIN.length()) + DASHES.length();
        String endMarker = "-----END " + label + DASHES;
        int end = text.indexOf(endMarker, start);
        if (end < 0) {
            throw new UnusableKeyException("PEM block has no " + endMarker + " line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start, end));
        } catch (IllegalArgumentException e) {
            throw new UnusableKeyException("PEM body is not base64: " + e.getMessage());
        }
    }

    /**
     * PEM armour of {@code der}: header, base64 in lines of {@code lineLength} characters, footer, every line
     * ended by {@code lineEnd} (including the last).
     */
    static String pem(String label, byte[] der, int lineLength, String lineEnd) {
        String body = Base64.getMimeEncoder(lineLength, lineEnd.getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return BEGIN + label + DASHES + lineEnd + body + lineEnd + "-----END " + label + DASHES + lineEnd;
    }
}
