package io.idnode.crypto.auth;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.JcaEngines;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.ProtocolVersion;
import java.security.InvalidKeyException;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * One session's key as an HMAC-SHA256 engine keyed once, for the session MAC of protocol 2.7 and later
 * (handle-protocol.md §2.3, §6.5) on the hot path: the covered prefix (versions, ids, counter) is written into a
 * scratch array and the header and body are fed from where they lie, so a MAC costs no engine lookup, no key
 * set-up and no copy of the message. Older versions and other hash ids go through {@link SessionMacs}.
 * Thread-safe: an initialised engine is borrowed per MAC and given back; threads that meet on one session
 * make another (kept if the spare slot is free).
 */
public final class SessionMacKey {
    /** Length of an HMAC-SHA256 MAC. */
    public static final int LENGTH = 32;

    private static final String JCA_NAME = "HmacSHA256";

    private final JcaEngines engines;
    private final SecretKeySpec key;
    private final AtomicReference<Engine> spare = new AtomicReference<>();

    /** The 32-byte session key {@code sessionKey} (copied), with HMAC engines from {@code engines} (the JDK's). */
    public SessionMacKey(JcaEngines engines, byte[] sessionKey) {
        if (sessionKey == null || sessionKey.length == 0) {
            throw new IllegalArgumentException("empty session key");
        }
        this.engines = engines;
        this.key = new SecretKeySpec(sessionKey, JCA_NAME);
    }

    /**
     * Whether a MAC of a message at {@code major.minor} named {@code hashId} is the HMAC-SHA256 this key makes
     * (2.7 and later); {@code hashId} null asks only about the version.
     */
    public static boolean covers(int major, int minor, String hashId) {
        return ProtocolVersion.of(major, minor).macsWithHmacSha256()
                && (hashId == null || SessionMacs.HMAC_SHA256.equals(hashId));
    }

    /**
     * The MAC of a message with these envelope fields and {@code headerAndBody[offset, offset + length)}
     * (a new array of {@link #LENGTH} bytes).
     *
     * @throws IllegalArgumentException if the version is below 2.7 ({@link #covers})
     */
    public byte[] compute(int major, int minor, int suggestMajor, int suggestMinor, int sessionId, int requestId,
            int sessionCounter, byte[] headerAndBody, int offset, int length) {
        byte[] out = new byte[LENGTH];
        Engine e = borrow(major, minor);
        try {
            e.start(major, minor, suggestMajor, suggestMinor, sessionId, requestId, sessionCounter);
            e.mac.update(headerAndBody, offset, length);
            e.finish(out);
        } finally {
            giveBack(e);
        }
        return out;
    }

    /**
     * Whether {@code mac} is the MAC of a message with these envelope fields and header and body
     * {@code headerAndBody} (in place), compared in constant time.
     *
     * @throws IllegalArgumentException if the version is below 2.7 ({@link #covers})
     */
    public boolean verify(int major, int minor, int suggestMajor, int suggestMinor, int sessionId, int requestId,
            int sessionCounter, Bytes headerAndBody, Bytes mac) {
        Engine e = borrow(major, minor);
        try {
            e.start(major, minor, suggestMajor, suggestMinor, sessionId, requestId, sessionCounter);
            headerAndBody.readInPlace(e);
            e.finish(e.out);
            if (mac.length() != LENGTH) {
                return false;
            }
            int diff = 0;
            for (int i = 0; i < LENGTH; i++) {
                diff |= e.out[i] ^ mac.byteAt(i);
            }
            return diff == 0;
        } finally {
            giveBack(e);
        }
    }

    /**
     * As {@link #verify(int, int, int, int, int, int, int, Bytes, Bytes)}, over arrays: the header and body at
     * {@code headerAndBody[offset, offset + length)}, the MAC at {@code mac[macOffset, macOffset + macLength)}.
     */
    public boolean verify(int major, int minor, int suggestMajor, int suggestMinor, int sessionId, int requestId,
            int sessionCounter, byte[] headerAndBody, int offset, int length, byte[] mac, int macOffset,
            int macLength) {
        return verify(major, minor, suggestMajor, suggestMinor, sessionId, requestId, sessionCounter,
                Bytes.wrap(headerAndBody, offset, length), Bytes.wrap(mac, macOffset, macLength));
    }

    private Engine borrow(int major, int minor) {
        if (!covers(major, minor, null)) {
            throw new IllegalArgumentException("HMAC-SHA256 session MACs start at protocol 2.7, not " + major + "."
                    + minor);
        }
        Engine e = spare.getAndSet(null);
        if (e != null) {
            return e;
        }
        Mac mac = engines.mac(JCA_NAME);
        try {
            mac.init(key);
        } catch (InvalidKeyException ex) {
            throw new CryptoEngineException(JCA_NAME + " refused the session key", ex);
        }
        return new Engine(mac);
    }

    private void giveBack(Engine e) {
        e.mac.reset();
        spare.compareAndSet(null, e);
    }

    /** A keyed engine with its scratch arrays; used by one thread at a time. */
    private static final class Engine implements Bytes.Reader {
        final Mac mac;
        final byte[] prefix = new byte[16];
        final byte[] out = new byte[LENGTH];

        Engine(Mac mac) {
            this.mac = mac;
        }

        void start(int major, int minor, int suggestMajor, int suggestMinor, int sessionId, int requestId,
                int sessionCounter) {
            int n = MessageSigner.writeCoveredPrefix(prefix, major, minor, suggestMajor, suggestMinor, sessionId,
                    requestId, sessionCounter);
            mac.update(prefix, 0, n);
        }

        void finish(byte[] into) {
            try {
                mac.doFinal(into, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException("a MAC array of " + into.length + " bytes", e);
            }
        }

        @Override
        public void read(byte[] array, int offset, int length) {
            mac.update(array, offset, length);
        }
    }
}
