package io.idnode.crypto;

import java.security.Key;
import java.security.interfaces.EdECKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The registry of public-key signature algorithms, one entry each: the Handle key type of HS_PUBKEY data
 * (handle-protocol.md §5.4), the JCA key algorithm, key OID and, for EC keys, the {@link EcCurve}; the JCA
 * signature name for each hash a {@code hashId} can name (§2.3, §6.2) and the hash the protocol picks by
 * version; the JWS {@code alg} and JWK {@code kty} of HS_SIGNATURE and HS_CERT (§5.6); and the
 * {@link CryptoProviders.Source} of its engines. Every other place that needs one of these facts asks here.
 *
 * <ul>
 * <li><b>RSA</b>, <b>DSA</b>: the stock protocol's two key types.</li>
 * <li><b>ECDSA P-256</b>: JCA key {@code EC}, OID id-ecPublicKey 1.2.840.10045.2.1 on curve secp256r1,
 * {@code SHA256withECDSA} (DER) for credentials and answers, JWS {@code ES256} signed with
 * {@code SHA256withECDSAinP1363Format} (JWS wants r‖s, not DER), JWK {@code kty} {@code EC}; source JDK. The
 * stock protocol has no EC key type (§5.4), so {@link #handleKeyType()} is empty and HS_PUBKEY holds such keys
 * as untyped PEM (cn-extensions.md §2.2 form A).</li>
 * <li><b>Ed25519</b>: JCA key and signature {@code Ed25519}, OID 1.3.101.112, JWS {@code EdDSA}, JWK
 * {@code kty} {@code OKP}; source BOUNCY_CASTLE. The hash is part of the signature and the protocol defines
 * no Ed25519 credential or answer, so it has no hash ids: it serves HS_SIGNATURE and HS_CERT only. HS_PUBKEY
 * holds it as untyped PEM like P-256.</li>
 * <li><b>SM2</b> (cn-extensions.md §2, §3.2, §5): Handle key type {@code SM2_PUB_KEY} (field = DER
 * SubjectPublicKeyInfo), JCA key {@code EC} on curve sm2p256v1 (OID 1.2.156.10197.1.301), hash id
 * {@link HashAlgorithm#SM3} with {@code SM3withSM2} from every version and the SDK's secondary
 * {@code SHA256withSM2}, JWS {@code SM2256} (DER r,s, default user ID), JWK {@code kty} {@code SM2}; source
 * BOUNCY_CASTLE. A challenge answer signs with the identity handle as SM2 user ID ({@code crypto.auth}).</li>
 * </ul>
 * A new algorithm is one entry here plus its key encoding in {@code crypto.keys} (the compiler then points at
 * the one switch that lacks it).
 */
public enum SignatureAlgorithm {
    /** RSA with PKCS#1 v1.5 signatures; SHA-256 from protocol 2.7, SHA-1 below (§2.3). */
    RSA("RSA_PUB_KEY", "RSA", "1.2.840.113549.1.1.1", null,
            Map.of(HashAlgorithm.MD5, "MD5withRSA", HashAlgorithm.SHA1, "SHA1withRSA",
                    HashAlgorithm.SHA256, "SHA256withRSA"),
            HashAlgorithm.SHA256, 207, "RS256", "SHA256withRSA", "RSA", CryptoProviders.Source.JDK),
    /** DSA with DER signatures; SHA-256 from protocol 2.11, SHA-1 below (§2.3, §6.2). */
    DSA("DSA_PUB_KEY", "DSA", "1.2.840.10040.4.1", null,
            Map.of(HashAlgorithm.SHA1, "SHA1withDSA", HashAlgorithm.SHA256, "SHA256withDSA"),
            HashAlgorithm.SHA256, 211, "DS256", "SHA256withDSA", "DSA", CryptoProviders.Source.JDK),
    /** ECDSA on NIST P-256 with SHA-256 at every version; JWS {@code ES256} in r‖s form (RFC 7518 §3.4). */
    ECDSA_P256(null, "EC", "1.2.840.10045.2.1", EcCurve.P256,
            Map.of(HashAlgorithm.SHA256, "SHA256withECDSA"),
            HashAlgorithm.SHA256, 0, "ES256", "SHA256withECDSAinP1363Format", "EC", CryptoProviders.Source.JDK),
    /** Ed25519 (RFC 8032): record and certificate signatures only, JWS {@code EdDSA} (RFC 8037). */
    ED25519(null, "Ed25519", "1.3.101.112", null, Map.of(),
            HashAlgorithm.SHA256, 0, "EdDSA", "Ed25519", "OKP", CryptoProviders.Source.BOUNCY_CASTLE),
    /** SM2 with SM3 (GB/T 32918.2) at every version, cn-extensions.md §2, §3.2, §5. */
    SM2("SM2_PUB_KEY", "EC", "1.2.840.10045.2.1", EcCurve.SM2P256V1,
            Map.of(HashAlgorithm.SM3, "SM3withSM2", HashAlgorithm.SHA256, "SHA256withSM2"),
            HashAlgorithm.SM3, 0, "SM2256", "SM3withSM2", "SM2", CryptoProviders.Source.BOUNCY_CASTLE);

    private static final SignatureAlgorithm[] ALL = values();

    private final String handleKeyType;
    private final String jcaKeyAlgorithm;
    private final String keyOid;
    private final EcCurve curve;
    private final Map<HashAlgorithm, String> signatures;
    private final List<HashAlgorithm> hashes;
    private final HashAlgorithm preferredHash;
    private final int preferredFrom;
    private final List<HashAlgorithm> signingHashes;
    private final String jwsAlgorithm;
    private final String jwsSignature;
    private final String jwkKeyType;
    private final CryptoProviders.Source source;

    SignatureAlgorithm(String handleKeyType, String jcaKeyAlgorithm, String keyOid, EcCurve curve,
            Map<HashAlgorithm, String> signatures, HashAlgorithm preferredHash, int preferredFrom, String jwsAlgorithm,
            String jwsSignature, String jwkKeyType, CryptoProviders.Source source) {
        this.handleKeyType = handleKeyType;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
        this.keyOid = keyOid;
        this.curve = curve;
        this.signatures = signatures.isEmpty() ? new EnumMap<>(HashAlgorithm.class) : new EnumMap<>(signatures);
        this.hashes = List.copyOf(this.signatures.keySet());
        this.preferredHash = preferredHash;
        this.preferredFrom = preferredFrom;
        this.signingHashes = signatures.isEmpty() ? List.of()
                : preferredFrom > 0 && preferredHash != HashAlgorithm.SHA1
                ? List.of(preferredHash, HashAlgorithm.SHA1) : List.of(preferredHash);
        this.jwsAlgorithm = jwsAlgorithm;
        this.jwsSignature = jwsSignature;
        this.jwkKeyType = jwkKeyType;
        this.source = source;
    }

    /**
     * The key type that starts typed HS_PUBKEY data of this algorithm (§5.4), e.g. {@code RSA_PUB_KEY}; empty
     * where the protocol has none (P-256, Ed25519), whose keys HS_PUBKEY holds as untyped PEM
     * (cn-extensions.md §2.2 form A).
     */
    public Optional<String> handleKeyType() {
        return Optional.ofNullable(handleKeyType);
    }

    /** The JCA key algorithm, for key factories and generators, e.g. {@code RSA}. */
    public String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /** The OID of the AlgorithmIdentifier in X.509 and PKCS#8 encodings of its keys. */
    public String keyOid() {
        return keyOid;
    }

    /** The curve of an EC-based entry (its OID is the AlgorithmIdentifier's parameters); empty otherwise. */
    public Optional<EcCurve> curve() {
        return Optional.ofNullable(curve);
    }

    /** The hashes a credential or challenge answer may name with this algorithm (§2.3); none for Ed25519. */
    public List<HashAlgorithm> hashes() {
        return hashes;
    }

    /**
     * The JCA signature name for {@code hash}, e.g. {@code SHA1withDSA}.
     *
     * @throws UnsupportedAlgorithmException if the protocol defines no such pairing (MD5 with DSA)
     */
    public String jcaSignature(HashAlgorithm hash) throws UnsupportedAlgorithmException {
        String name = signatures.get(hash);
        if (name == null) {
            throw new UnsupportedAlgorithmException("hash " + hash.hashId() + " is not defined for " + name()
                    + " signatures");
        }
        return name;
    }

    /**
     * The hash the stock implementation signs with at protocol version {@code version} (e.g. 211 for 2.11,
     * §2.3, §6.2): this algorithm's preferred hash from the version it was introduced, SHA-1 before.
     */
    public HashAlgorithm hashFor(int version) {
        return version >= preferredFrom ? preferredHash : HashAlgorithm.SHA1;
    }

    /**
     * The hashes {@link #hashFor} can answer, preferred first: what a signer must be ready for. Empty where the
     * algorithm makes no credentials or answers (Ed25519).
     */
    public List<HashAlgorithm> signingHashes() {
        return signingHashes;
    }

    /** The JWS {@code alg} of HS_SIGNATURE and HS_CERT signed with this algorithm (§5.6), e.g. {@code RS256}. */
    public String jwsAlgorithm() {
        return jwsAlgorithm;
    }

    /** The JCA signature name that makes and checks its JWS signatures, e.g. {@code SHA256withRSA}. */
    public String jwsSignature() {
        return jwsSignature;
    }

    /** The JWK {@code kty} of its public keys (§8), e.g. {@code RSA}. */
    public String jwkKeyType() {
        return jwkKeyType;
    }

    /** Which of a {@link CryptoProviders}' engines serve its keys and signatures. */
    public CryptoProviders.Source source() {
        return source;
    }

    /** The entry whose HS_PUBKEY key type is {@code type}, if any. */
    public static Optional<SignatureAlgorithm> forHandleKeyType(String type) {
        return find(a -> type.equals(a.handleKeyType));
    }

    /** The entry whose JWS {@code alg} is {@code alg}, if any. */
    public static Optional<SignatureAlgorithm> forJwsAlgorithm(String alg) {
        return find(a -> a.jwsAlgorithm.equals(alg));
    }

    /** The entry whose JWK {@code kty} is {@code kty}, if any. */
    public static Optional<SignatureAlgorithm> forJwkKeyType(String kty) {
        return find(a -> a.jwkKeyType.equals(kty));
    }

    /**
     * The entry whose keys carry the AlgorithmIdentifier OID {@code oid} (dotted form) without curve
     * parameters, if any: RSA, DSA, Ed25519. EC keys need {@link #forKeyOid(String, String)}.
     */
    public static Optional<SignatureAlgorithm> forKeyOid(String oid) {
        return forKeyOid(oid, null);
    }

    /**
     * The entry whose keys carry the AlgorithmIdentifier OID {@code oid} with the curve OID {@code curveOid} as
     * parameters ({@code null} for algorithms without a curve), if any.
     */
    public static Optional<SignatureAlgorithm> forKeyOid(String oid, String curveOid) {
        return find(a -> a.keyOid.equals(oid)
                && (a.curve == null ? curveOid == null : a.curve.oid().equals(curveOid)));
    }

    /**
     * The entry a JCA key belongs to, whichever provider made it: by key algorithm, and for EC keys by curve.
     *
     * @throws UnsupportedAlgorithmException if the key has no entry, e.g. a DH key or an EC key on another curve
     */
    public static SignatureAlgorithm forKey(Key key) throws UnsupportedAlgorithmException {
        String alg = key.getAlgorithm();
        Optional<SignatureAlgorithm> found = find(a -> a.holds(key));
        if (found.isEmpty()) {
            String what = "EC".equalsIgnoreCase(alg) ? "EC key on a curve other than "
                    + CryptoException.oneOf(curveNames()) : "key algorithm " + alg;
            throw new UnsupportedAlgorithmException(what + " cannot make Handle signatures ("
                    + describe(SignatureAlgorithm::keyName) + " only)");
        }
        return found.get();
    }

    /** Whether {@code key} is a key of this entry. */
    private boolean holds(Key key) {
        String alg = key.getAlgorithm();
        if (curve != null) {
            return jcaKeyAlgorithm.equalsIgnoreCase(alg) && curve.holds(key);
        }
        if (this == ED25519 && "EdDSA".equalsIgnoreCase(alg)) {
            // The JDK's own EdDSA keys name the family; the curve is in their parameters.
            return key instanceof EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName());
        }
        return jcaKeyAlgorithm.equalsIgnoreCase(alg);
    }

    /** The key algorithm, with the curve for EC entries, e.g. {@code EC/secp256r1}: for messages. */
    public String keyName() {
        return curve == null ? jcaKeyAlgorithm : jcaKeyAlgorithm + "/" + curve.name();
    }

    private static List<String> curveNames() {
        List<String> names = new ArrayList<>();
        for (SignatureAlgorithm a : ALL) {
            if (a.curve != null) {
                names.add(a.curve.name());
            }
        }
        return names;
    }

    /** One fact of every entry, joined for a message, e.g. {@code "RS256, DS256, ES256, EdDSA or SM2256"}. */
    public static String describe(Function<SignatureAlgorithm, String> fact) {
        return CryptoException.oneOf(all(fact));
    }

    /** One fact of every entry, in registry order. */
    public static List<String> all(Function<SignatureAlgorithm, String> fact) {
        List<String> out = new ArrayList<>(ALL.length);
        for (SignatureAlgorithm a : ALL) {
            out.add(fact.apply(a));
        }
        return out;
    }

    private static Optional<SignatureAlgorithm> find(Predicate<SignatureAlgorithm> p) {
        for (SignatureAlgorithm a : ALL) {
            if (p.test(a)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
