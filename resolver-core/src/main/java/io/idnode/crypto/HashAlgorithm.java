package io.idnode.crypto;

/**
 * The hash named by a credential's or challenge answer's {@code hashId} (handle-protocol.md §2.3, §6.2):
 * the strings {@code SHA-256}, {@code SHA1}, {@code MD5} (and the library's alternates {@code SHA256},
 * {@code SHA-1}) or the one-byte forms 1/2/3, and {@code SM3} of China's SDK (cn-extensions.md §3.2), which has
 * no one-byte form. Which signature each makes with which key is {@link SignatureAlgorithm}'s business.
 */
public enum HashAlgorithm {
    /** MD5 (code 1): RSA answers of old clients and request digests below 2.1. */
    MD5("MD5", "MD5", 1),
    /** SHA-1 (code 2): signatures below 2.7 (DSA: below 2.11). */
    SHA1("SHA1", "SHA-1", 2),
    /** SHA-256 (code 3): signatures and request digests of current versions. */
    SHA256("SHA-256", "SHA-256", 3),
    /**
     * SM3 (GB/T 32905, no code): SM2 challenge answers (cn-extensions.md §3.2) and SM2 signatures; its digest
     * comes from BouncyCastle ({@link CryptoProviders#bouncyCastle()}), never a request-digest hash.
     */
    SM3("SM3", "SM3", 0);

    private final String hashId;
    private final String jcaDigest;
    private final int code;

    HashAlgorithm(String hashId, String jcaDigest, int code) {
        this.hashId = hashId;
        this.jcaDigest = jcaDigest;
        this.code = code;
    }

    /** The {@code hashId} string the library writes for this hash. */
    public String hashId() {
        return hashId;
    }

    /** JCA {@code MessageDigest} name. */
    public String jcaDigest() {
        return jcaDigest;
    }

    /** One-byte code (1 MD5, 2 SHA-1, 3 SHA-256), also the request-digest hash type of §2.4; 0 for SM3 (none). */
    public int code() {
        return code;
    }

    /**
     * The hash of a one-byte code.
     *
     * @throws UnsupportedAlgorithmException for a code other than 1, 2 or 3
     */
    public static HashAlgorithm fromCode(int code) throws UnsupportedAlgorithmException {
        return switch (code) {
            case 1 -> MD5;
            case 2 -> SHA1;
            case 3 -> SHA256;
            default -> throw new UnsupportedAlgorithmException("unknown hash type " + code);
        };
    }

    /**
     * Parses a {@code hashId} as the library accepts it (names or a single code byte, §2.3).
     *
     * @throws UnsupportedAlgorithmException for any other hash id
     */
    public static HashAlgorithm fromHashId(String hashId) throws UnsupportedAlgorithmException {
        if (hashId.length() == 1 && hashId.charAt(0) < 0x20) {
            return fromCode(hashId.charAt(0));
        }
        return switch (hashId) {
            case "SHA-256", "SHA256" -> SHA256;
            case "SHA1", "SHA-1" -> SHA1;
            case "MD5" -> MD5;
            case "SM3" -> SM3;
            default -> throw new UnsupportedAlgorithmException("unknown hash id \""
                    + CryptoException.printable(hashId) + "\"");
        };
    }
}
