package io.idnode.protocol;

/**
 * The request-digest block at the start of a response body with the RD flag (handle-protocol.md §2.4):
 * hash type 1 = MD5, 2 = SHA-1, 3 = SHA-256, then the digest of the request's header and body.
 */
public record RequestDigest(int hashType, byte[] digest) {
    public static final int MD5 = 1;
    public static final int SHA1 = 2;
    public static final int SHA256 = 3;

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
}
