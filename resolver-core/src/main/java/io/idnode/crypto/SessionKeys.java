package io.idnode.crypto;

import io.idnode.codec.CodecException;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;

/**
 * Session keys of SESSION_SETUP key-exchange mode 4, Diffie-Hellman (handle-protocol.md §6.5), and the
 * session MAC of §2.3: the server answers the client's {@code DH_PUB_KEY} with a key pair in the client's
 * group; both sides reduce the agreed secret to a 32-byte session key (HMAC key; AES uses its first 16).
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

    /** Session keys using the JDK's configured providers. */
    public static final SessionKeys DEFAULT = new SessionKeys(null);

    private final Jca jca;

    /** Session keys whose DH and HMAC engines come from {@code provider} ({@code null} = JDK defaults). */
    public SessionKeys(Provider provider) {
        this.jca = new Jca(provider);
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
     * g, and derives the session key (§6.5). A key outside sane bounds is a {@link CodecException}.
     */
    public ServerExchange serverExchange(PublicKey clientKey, SecureRandom random) throws CodecException {
        DHPublicKey client = checkDh(clientKey);
        DHParameterSpec group = client.getParams();
        KeyPair own;
        try {
            KeyPairGenerator gen = jca.keyPairGenerator("DH");
            gen.initialize(new DHParameterSpec(group.getP(), group.getG()), random);
            own = gen.generateKeyPair();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // The JDK refuses some group sizes (e.g. not a multiple of 64 bits) with either exception kind.
            throw new CodecException("client DH group refused: " + e.getMessage());
        }
        byte[] key = agree(own.getPrivate(), client);
        return new ServerExchange((DHPublicKey) own.getPublic(), key);
    }

    /**
     * DH agreement of {@code ownKey} with {@code peerKey}, reduced to the 32-byte session key by
     * {@link #sessionKeyFromSecret}; the raw secret is left-padded to the length of p first.
     */
    public byte[] agree(PrivateKey ownKey, PublicKey peerKey) throws CodecException {
        DHPublicKey peer = checkDh(peerKey);
        byte[] secret;
        try {
            KeyAgreement ka = jca.keyAgreement("DH");
            ka.init(ownKey);
            ka.doPhase(peer, true);
            secret = ka.generateSecret();
        } catch (InvalidKeyException e) {
            throw new CodecException("DH agreement refused the keys: " + e.getMessage());
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

    /** HMAC-SHA256 of covered bytes (from {@link MessageSigner#signedBytes}) with the session key (§2.3). */
    public byte[] hmacSha256(byte[] sessionKey, byte[] coveredBytes) {
        if (sessionKey.length == 0) {
            throw new IllegalArgumentException("empty session key");
        }
        return SessionMacs.hmac(jca, "HmacSHA256", sessionKey, coveredBytes);
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
            mac = SessionMacs.compute(jca, hashId, sessionKey, major, minor, suggestMajor, suggestMinor, sessionId,
                    requestId, sessionCounter, headerAndBody);
        } catch (CodecException e) {
            throw new IllegalStateException("own MAC hash id rejected: " + e.getMessage(), e);
        }
        return Credential.mac(sessionCounter, hashId, Bytes.wrap(mac));
    }

    private static DHPublicKey checkDh(PublicKey key) throws CodecException {
        if (!(key instanceof DHPublicKey)) {
            throw new CodecException("expected a DH public key, got " + (key == null ? "none" : key.getAlgorithm()));
        }
        DHPublicKey dh = (DHPublicKey) key;
        BigInteger p = dh.getParams().getP();
        BigInteger g = dh.getParams().getG();
        BigInteger y = dh.getY();
        int bits = p.bitLength();
        if (bits < MIN_DH_BITS || bits > MAX_DH_BITS) {
            throw new CodecException("DH group of " + bits + " bits (accepted " + MIN_DH_BITS + ".." + MAX_DH_BITS + ")");
        }
        BigInteger pMinus1 = p.subtract(BigInteger.ONE);
        if (g.compareTo(BigInteger.ONE) <= 0 || g.compareTo(pMinus1) >= 0) {
            throw new CodecException("DH generator outside 2..p-2");
        }
        // y of 0, 1 or p-1 would force a predictable shared secret.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(pMinus1) >= 0) {
            throw new CodecException("DH public value outside 2..p-2");
        }
        return dh;
    }
}
