package io.idnode.crypto.auth;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.protocol.ProtocolVersion;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The session MAC of an {@code HS_MAC} credential by protocol version (handle-protocol.md §2.3, §6.5).
 * From 2.7: HMAC (hash id {@code HMAC-SHA256}) over {@link MessageSigner#signedBytes}. At 2.5–2.6 the
 * library uses a keyed digest whose buffer it fills with overlapping writes; below 2.5 a keyed digest
 * {@code H(key ‖ header+body ‖ key)}. Both legacy forms are reproduced byte for byte. Credentials are made by
 * {@code SessionKeys} and checked by {@link CredentialVerifier}, both through here.
 */
public final class SessionMacs {
    /** The hash id of a session MAC from protocol 2.7. */
    public static final String HMAC_SHA256 = "HMAC-SHA256";

    private SessionMacs() {
    }

    /** The hash id the library writes for a session MAC at {@code version} (e.g. 211). */
    public static String hashIdFor(int version) {
        ProtocolVersion v = ProtocolVersion.fromNumber(version);
        if (v.macsWithHmacSha256()) {
            return HMAC_SHA256;
        }
        if (v.namesHashes()) {
            return HashAlgorithm.SHA1.hashId();
        }
        return String.valueOf((char) HashAlgorithm.SHA1.code());
    }

    /**
     * The session MAC named by {@code hashId} of a message with these envelope fields, keyed with
     * {@code key}, computed with {@code engines} (the JDK's).
     *
     * @throws UnsupportedAlgorithmException if {@code hashId} is not accepted at this version
     */
    public static byte[] compute(JcaEngines engines, String hashId, byte[] key, int major, int minor,
            int suggestMajor, int suggestMinor, int sessionId, int requestId, int sessionCounter,
            byte[] headerAndBody) throws UnsupportedAlgorithmException {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("empty session key");
        }
        ProtocolVersion version = ProtocolVersion.of(major, minor);
        if (version.macsWithHmacSha256()) {
            String mac = hmacName(hashId);
            byte[] covered = MessageSigner.signedBytes(major, minor, suggestMajor, suggestMinor, sessionId, requestId,
                    sessionCounter, headerAndBody);
            return engines.hmac(mac, key, covered);
        }
        HashAlgorithm hash = HashAlgorithm.fromHashId(hashId);
        if (hash == HashAlgorithm.MD5 || hash == HashAlgorithm.SM3) {
            throw new UnsupportedAlgorithmException(hash.hashId() + " session MACs are not accepted");
        }
        MessageDigest md = engines.digest(hash.jcaDigest());
        if (version.macCoversVersionAndIds()) {
            md.update(legacyBuffer(key, major, minor, sessionId, requestId, sessionCounter, headerAndBody));
        } else {
            md.update(key);
            md.update(headerAndBody);
            md.update(key);
        }
        return md.digest();
    }

    private static String hmacName(String hashId) throws UnsupportedAlgorithmException {
        StringBuilder norm = new StringBuilder();
        for (int i = 0; i < hashId.length(); i++) {
            char c = hashId.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                norm.append(c);
            }
        }
        // The library compares MAC ids ignoring case and punctuation.
        return switch (norm.toString().toUpperCase(Locale.ROOT)) {
            case "HMACSHA256" -> "HmacSHA256";
            case "HMACSHA1" -> "HmacSHA1";
            default -> throw new UnsupportedAlgorithmException("session MAC hash id \""
                    + CryptoException.printable(hashId)
                    + "\" is not accepted from protocol 2.7 (HMAC-SHA256 expected)");
        };
    }

    /**
     * The 2.5/2.6 MAC input, filled exactly as the library fills it: a buffer of {@code 2k+h+14} bytes gets
     * the key at 0, the version at k, the session id at k+2; every later write restarts at offset 4 (the
     * library stores a write's byte count as the next offset), so the request id, counter, header+body and
     * second key copy land from offset 4 on, and the tail stays zero.
     */
    private static byte[] legacyBuffer(byte[] key, int major, int minor, int sessionId, int requestId,
            int sessionCounter, byte[] headerAndBody) {
        int k = key.length;
        byte[] buf = new byte[2 * k + headerAndBody.length + 14];
        System.arraycopy(key, 0, buf, 0, k);
        buf[k] = (byte) major;
        buf[k + 1] = (byte) minor;
        MessageSigner.putInt(buf, k + 2, sessionId);
        MessageSigner.putInt(buf, 4, requestId);
        MessageSigner.putInt(buf, 4, sessionCounter);
        System.arraycopy(headerAndBody, 0, buf, 4, headerAndBody.length);
        System.arraycopy(key, 0, buf, 4 + headerAndBody.length, k);
        return buf;
    }
}
