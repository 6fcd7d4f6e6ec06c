package io.idnode.crypto.session;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.crypto.auth.SessionMacs;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;

/**
 * Session keys of SESSION_SETUP key-exchange mode 4, Diffie-Hellman (handle-protocol.md §6.5), and the
 * session MAC credentials of §2.3 made with them ({@link SessionMacs}): the server answers the client's
 * {@code DH_PUB_KEY} with a key pair in the client's group; both sides reduce the agreed secret to a 32-byte
 * session key (HMAC key; AES uses its first 16). Thread-safe.
 */
public final class SessionKeys {
    /** Session key length for cipher 3 (AES): the HMAC-SHA256 key. */
    public static final int SESSION_KEY_LENGTH = 32;
    /** Session cipher code for AES, the stock default (§6.5). */
    public static final int CIPHER_AES = 3;
    /** Smallest DH group accepted from a client (the stock client uses the 1024-bit MODP group). */
    public static final int MIN_DH_BITS = 1024;
    /** Largest DH group accepted from a client (the JDK's own ceiling). */
    public static final int MAX_DH_BITS = 8192;

    private final JcaEngines engines;

    /** Session keys whose DH and MAC engines are the JDK's of {@code providers}. */
    public SessionKeys(CryptoProviders providers) {
        this.engines = providers.jdk();
    }

    /** The server's half of a DH exchange: its public key (to send as {@code DH_PUB_KEY}) and the session key. */
    public record ServerExchange(DHPublicKey serverPublicKey, byte[] sessionKey) {
        public ServerExchange {
            Objects.requireNonNull(serverPublicKey, "serverPublicKey");
            sessionKey = sessionKey.clone();
        }

        /** A copy of the 32-byte session key. */
        @Override
        public byte[] sessionKey() {
            return sessionKey.clone();
        }
    }

    /**
     * Server side of mode 4: checks the client's DH key, generates a server key pair with the client's p and
     * g, and derives the session key (§6.5).
     *
     * @throws UnusableKeyException if the client key is not DH, is outside sane bounds, or its group is refused
     */
    public ServerExchange serverExchange(PublicKey clientKey, SecureRandom random) throws UnusableKeyException {
        DHPublicKey client = checkDh(clientKey);
        DHParameterSpec group = client.getParams();
        KeyPair own;
        try {
            KeyPairGenerator gen = engines.keyPairGenerator("DH");
            gen.initialize(new DHParameterSpec(group.getP(), group.getG()), random);
            own = gen.generateKeyPair();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // The JDK refuses some group sizes (e.g. not a multiple of 64 bits) with either exception kind.
            throw new UnusableKeyException("client DH group refused: " + e.getMessage());
        }
        byte[] key = agree(own.getPrivate(), client);
        return new ServerExchange((DHPublicKey) own.getPublic(), key);
    }

    /**
     * DH agreement of {@code ownKey} with {@code peerKey}, reduced to the 32-byte session key by
     * {@link #sessionKeyFromSecret}; the raw secret is left-padded to the length of p first.
     *
     * @throws UnusableKeyException if the peer key is not DH, is outside sane bounds, or agreement refuses the keys
     */
    public byte[] agree(PrivateKey ownKey, PublicKey peerKey) throws UnusableKeyException {
        DHPublicKey peer = checkDh(peerKey);
        byte[] secret;
        try {
            KeyAgreement ka = engines.keyAgreement("DH");
            ka.init(ownKey);
            ka.doPhase(peer, true);
            secret = ka.generateSecret();
        } catch (InvalidKeyException e) {
            throw new UnusableKeyException("DH agreement refused the keys: " + e.getMessage());
        }
        int pLen = (peer.getParams().getP().bitLength() + 7) / 8;
        if (secret.length < pLen) {
            byte[] padded = new byte[pLen];
            System.arraycopy(secret, 0, padded, pLen - secret.length, secret.length);
            Arrays.fill(secret, (byte) 0);
            secret = padded;
        }
        try {
            return sessionKeyFromSecret(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The session key of a raw DH secret (§6.5): skip leading 0x00 bytes only while more than 32 bytes
     * remain, then take the next 32.
     */
    public static byte[] sessionKeyFromSecret(byte[] sharedSecret) {
        if (sharedSecret.length < SESSION_KEY_LENGTH) {
            throw new IllegalArgumentException("DH secret of " + sharedSecret.length + " bytes is too short");
        }
        int start = 0;
        while (sharedSecret.length - start > SESSION_KEY_LENGTH && sharedSecret[start] == 0) {
            start++;
        }
        return Arrays.copyOfRange(sharedSecret, start, start + SESSION_KEY_LENGTH);
    }

    /** An {@code HS_MAC} credential for a message in a session, in the form its version calls for (§2.3). */
    public Credential macCredential(byte[] sessionKey, Envelope envelope, int sessionCounter, byte[] headerAndBody) {
        return macCredential(sessionKey, envelope.majorVersion(), envelope.minorVersion(), envelope.suggestedMajor(),
                envelope.suggestedMinor(), envelope.sessionId(), envelope.requestId(), sessionCounter, headerAndBody);
    }

    /**
     * An {@code HS_MAC} credential: from 2.7 HMAC-SHA256 (hash id {@code HMAC-SHA256}) over the covered
     * bytes; below, the library's legacy keyed SHA-1 forms.
     */
    public Credential macCredential(byte[] sessionKey, int major, int minor, int suggestMajor, int suggestMinor,
            int sessionId, int requestId, int sessionCounter, byte[] headerAndBody) {
        String hashId = SessionMacs.hashIdFor(major * 100 + minor);
        byte[] mac;
        try {
            mac = SessionMacs.compute(engines, hashId, sessionKey, major, minor, suggestMajor, suggestMinor, sessionId,
                    requestId, sessionCounter, headerAndBody);
        } catch (UnsupportedAlgorithmException e) {
            throw new IllegalStateException("own MAC hash id rejected: " + e.getMessage(), e);
        }
        return Credential.mac(sessionCounter, hashId, Bytes.wrap(mac));
    }

    private static DHPublicKey checkDh(PublicKey key) throws UnusableKeyException {
        if (!(key instanceof DHPublicKey)) {
            throw new UnusableKeyException("expected a DH public key, got "
                    + (key == null ? "none" : key.getAlgorithm()));
        }
        DHPublicKey dh = (DHPublicKey) key;
        BigInteger p = dh.getParams().getP();
        BigInteger g = dh.getParams().getG();
        BigInteger y = dh.getY();
        int bits = p.bitLength();
        if (bits < MIN_DH_BITS || bits > MAX_DH_BITS) {
            throw new UnusableKeyException("DH group of " + bits + " bits (accepted " + MIN_DH_BITS + ".." + MAX_DH_BITS
                    + ")");
        }
        BigInteger pMinus1 = p.subtract(BigInteger.ONE);
        if (g.compareTo(BigInteger.ONE) <= 0 || g.compareTo(pMinus1) >= 0) {
            throw new UnusableKeyException("DH generator outside 2..p-2");
        }
        // y of 0, 1 or p-1 would force a predictable shared secret.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(pMinus1) >= 0) {
            throw new UnusableKeyException("DH public value outside 2..p-2");
        }
        return dh;
    }
}
