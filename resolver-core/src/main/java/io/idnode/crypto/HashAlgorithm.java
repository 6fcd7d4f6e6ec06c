package io.idnode.crypto;

import io.idnode.codec.CodecException;
import io.idnode.protocol.ProtocolVersion;
import java.util.Locale;

/**
 * The hash named by a credential's or challenge answer's {@code hashId} (handle-protocol.md §2.3, §6.2):
 * the strings {@code SHA-256}, {@code SHA1}, {@code MD5} (and the library's alternates {@code SHA256},
 * {@code SHA-1}) or the one-byte forms 1/2/3.
 */
public enum HashAlgorithm {
    MD5("MD5", "MD5", 1),
    SHA1("SHA1", "SHA-1", 2),
    SHA256("SHA-256", "SHA-256", 3);

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

    /** One-byte code (1 MD5, 2 SHA-1, 3 SHA-256), also the request-digest hash type of §2.4. */
    public int code() {
        return code;
    }

    /** JCA signature name for a key algorithm ({@code RSA} or {@code DSA}), e.g. {@code SHA256withRSA}. */
    public String signatureAlgorithm(String keyAlgorithm) throws CodecException {
        String alg = keyAlgorithm.toUpperCase(Locale.ROOT);
        if (!alg.equals("RSA") && !alg.equals("DSA")) {
            throw new CodecException("key algorithm " + keyAlgorithm + " cannot make Handle signatures (RSA or DSA only)");
        }
        if (this == MD5 && alg.equals("DSA")) {
            throw new CodecException("hash MD5 is not defined for DSA signatures");
        }
        return switch (this) {
            case MD5 -> "MD5withRSA";
            case SHA1 -> "SHA1with" + alg;
            case SHA256 -> "SHA256with" + alg;
        };
    }

    /** The hash of a one-byte code, or a {@link CodecException} for an unknown code. */
    public static HashAlgorithm fromCode(int code) throws CodecException {
        return switch (code) {
            case 1 -> MD5;
            case 2 -> SHA1;
            case 3 -> SHA256;
            default -> throw new CodecException("unknown hash type " + code);
        };
    }

    /** Parses a {@code hashId} as the library accepts it (names or a single code byte, §2.3). */
    public static HashAlgorithm fromHashId(String hashId) throws CodecException {
        if (hashId.length() == 1 && hashId.charAt(0) < 0x20) {
            return fromCode(hashId.charAt(0));
        }
        return switch (hashId) {
            case "SHA-256", "SHA256" -> SHA256;
            case "SHA1", "SHA-1" -> SHA1;
            case "MD5" -> MD5;
            default -> throw new CodecException("unknown hash id \"" + printable(hashId) + "\"");
        };
    }

    /**
     * The hash the stock implementation signs with at protocol version {@code major.minor} (§2.3, §6.2):
     * SHA-256 from 2.11, or from 2.7 with an RSA key; SHA-1 otherwise.
     */
    public static HashAlgorithm forSignature(int major, int minor, String keyAlgorithm) {
        ProtocolVersion version = ProtocolVersion.of(major, minor);
        boolean rsa = "RSA".equalsIgnoreCase(keyAlgorithm);
        if (version.signsAllKeysWithSha256() || (version.signsRsaWithSha256() && rsa)) {
            return SHA256;
        }
        return SHA1;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
