package io.idnode.crypto.auth;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.RequestDigest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Request digests of the RD block (handle-protocol.md §2.4): a hash of the request's exact header+body
 * bytes (no envelope, no credential), by hash type 1 MD5, 2 SHA-1, 3 SHA-256. These fixed digests come from
 * the JDK's configured providers, the choice {@link io.idnode.crypto.CryptoProviders#jdk()} makes for every
 * standard algorithm.
 */
public final class RequestDigests {
    private RequestDigests() {
    }

    /** Digest of {@code requestHeaderAndBody} with hash type 1, 2 or 3. */
    public static RequestDigest digest(int hashType, byte[] requestHeaderAndBody) {
        String alg = RequestDigest.algorithm(hashType);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new CryptoEngineException(alg + " is not available", e);
        }
        return new RequestDigest(hashType, md.digest(requestHeaderAndBody));
    }

    /**
     * Hash type a server uses in a reply at version {@code major.minor} (§2.4): SHA-256 from 2.7, SHA-1 from
     * 2.1. Below 2.1 the digest is MD5, written by the codec in its older form without a type byte.
     */
    public static int hashTypeFor(int major, int minor) {
        ProtocolVersion version = ProtocolVersion.of(major, minor);
        if (version.digestsWithSha256()) {
            return RequestDigest.SHA256;
        }
        if (version.typesRequestDigests()) {
            return RequestDigest.SHA1;
        }
        return RequestDigest.MD5;
    }

    /** The RD block a reply at version {@code major.minor} carries for this request (§2.4). */
    public static RequestDigest forReply(int major, int minor, byte[] requestHeaderAndBody) {
        return digest(hashTypeFor(major, minor), requestHeaderAndBody);
    }

    /** True if {@code digest} is the digest of {@code requestHeaderAndBody} under its own hash type. */
    public static boolean matches(RequestDigest digest, byte[] requestHeaderAndBody) {
        if (RequestDigest.digestLength(digest.hashType()) < 0) {
            return false;
        }
        byte[] expected = digest(digest.hashType(), requestHeaderAndBody).digest();
        return MessageDigest.isEqual(expected, digest.digest());
    }
}
