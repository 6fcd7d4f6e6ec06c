package io.idnode.protocol;

import java.util.Arrays;

/**
 * The request-digest block at the start of a response body with the RD flag (handle-protocol.md §2.4):
 * hash type 1 = MD5, 2 = SHA-1, 3 = SHA-256, then the digest of the request's header and body; hash type 0
 * is the length-prefixed form of versions before 2.1 and of VERIFY_CHALLENGE (§6.4). The digest is copied in
 * and out, and compared by content.
 */
public record RequestDigest(int hashType, byte[] digest) {
    /** Hash type of an MD5 digest (16 bytes). */
    public static final int MD5 = 1;
    /** Hash type of a SHA-1 digest (20 bytes). */
    public static final int SHA1 = 2;
    /** Hash type of a SHA-256 digest (32 bytes). */
    public static final int SHA256 = 3;

    public RequestDigest {
        digest = digest.clone();
    }

    /** A copy of the digest. */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Length of the digest of a hash type, or -1 if the type is unknown. */
    public static int digestLength(int hashType) {
        return switch (hashType) {
            case MD5 -> 16;
            case SHA1 -> 20;
            case SHA256 -> 32;
            default -> -1;
        };
    }

    /** JCA name of a hash type. */
    public static String algorithm(int hashType) {
        return switch (hashType) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA-1";
            case SHA256 -> "SHA-256";
            default -> throw new IllegalArgumentException("unknown digest type " + hashType);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestDigest d && hashType == d.hashType && Arrays.equals(digest, d.digest);
    }

    @Override
    public int hashCode() {
        return 31 * hashType + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "RequestDigest[hashType=" + hashType + ", digest=" + Bytes.wrap(digest) + "]";
    }
}
