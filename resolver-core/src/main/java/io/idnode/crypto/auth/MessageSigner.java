package io.idnode.crypto.auth;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.ProtocolVersion;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs messages with the server's private key (handle-protocol.md §2.3): an {@code HS_SIGNED} credential
 * over the bytes {@link #signedBytes} defines, with the hash the key's {@link SignatureAlgorithm} picks for
 * the reply's version (RSA: SHA-256 from 2.7, DSA: from 2.11, SHA-1 below). RSA signatures are PKCS#1 v1.5,
 * DSA signatures DER. Thread-safe: each thread keeps its own initialised {@link Signature}.
 */
public final class MessageSigner {
    private final PrivateKey key;
    private final SignatureAlgorithm algorithm;
    private final Map<HashAlgorithm, ThreadLocal<Signature>> signatures = new EnumMap<>(HashAlgorithm.class);

    /**
     * A signer with {@code key}, whose {@link Signature} engines come from the engines {@code providers} assigns
     * to the key's algorithm.
     *
     * @throws IllegalArgumentException if the key's algorithm has no registry entry (e.g. DH) or makes no message
     *         signatures (Ed25519)
     * @throws CryptoEngineException if the engines cannot sign with this key at its preferred hash
     */
    public MessageSigner(PrivateKey key, CryptoProviders providers) {
        this.key = Objects.requireNonNull(key, "key");
        try {
            this.algorithm = SignatureAlgorithm.forKey(key);
        } catch (UnsupportedAlgorithmException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (algorithm.signingHashes().isEmpty()) {
            throw new IllegalArgumentException(algorithm + " keys make no Handle message signatures (§2.3 defines "
                    + "none; they sign HS_SIGNATURE and HS_CERT only)");
        }
        JcaEngines engines = providers.forAlgorithm(algorithm);
        for (HashAlgorithm hash : algorithm.signingHashes()) {
            String alg;
            try {
                alg = algorithm.jcaSignature(hash);
            } catch (UnsupportedAlgorithmException e) {
                throw new IllegalStateException("registry entry " + algorithm + " signs with " + hash, e);
            }
            ThreadLocal<Signature> local = ThreadLocal.withInitial(() -> initSign(engines, alg));
            try {
                // Fail at construction, not on the first reply, if the key or provider cannot sign.
                local.get();
            } catch (CryptoEngineException e) {
                if (signatures.isEmpty()) {
                    throw e;
                }
                // The JDK refuses SHA1withDSA for DSA keys over 1024 bits: such a key signs with SHA-256 only.
                continue;
            }
            signatures.put(hash, local);
        }
    }

    /**
     * The longest signature this key makes, in bytes: an RSA signature is as long as the modulus; a DSA, ECDSA
     * or SM2 signature is DER {@code SEQUENCE{r, s}}, each at most one byte longer than the group order. Lets a caller know the size
     * of a signed message before paying for the signature.
     */
    public int maxSignatureLength() {
        if (key instanceof RSAKey rsa) {
            return (rsa.getModulus().bitLength() + 7) / 8;
        }
        if (key instanceof DSAKey dsa) {
            return derSignatureLength(dsa.getParams().getQ().bitLength());
        }
        if (key instanceof ECKey ec) {
            return derSignatureLength(ec.getParams().getOrder().bitLength());
        }
        throw new IllegalStateException("no signature length known for " + algorithm);
    }

    /** The registry algorithm of the signing key. */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The hash this signer uses for a reply at version {@code major.minor}: the stock server's rule (§2.3),
     * or the preferred hash where this key cannot sign with SHA-1 (the credential names its hash, so clients
     * follow).
     */
    public HashAlgorithm hashFor(int major, int minor) {
        HashAlgorithm hash = algorithm.hashFor(major * 100 + minor);
        return signatures.containsKey(hash) ? hash : algorithm.signingHashes().get(0);
    }

    /** Signs a reply: {@code envelope} supplies versions and ids, the counter is the credential's (0 for servers). */
    public Credential sign(Envelope envelope, int sessionCounter, byte[] headerAndBody) {
        return sign(envelope.majorVersion(), envelope.minorVersion(), envelope.suggestedMajor(),
                envelope.suggestedMinor(), envelope.sessionId(), envelope.requestId(), sessionCounter, headerAndBody);
    }

    /** Signs the covered bytes of a message with these envelope fields (§2.3). */
    public Credential sign(int major, int minor, int suggestMajor, int suggestMinor, int sessionId, int requestId,
            int sessionCounter, byte[] headerAndBody) {
        HashAlgorithm hash = hashFor(major, minor);
        byte[] covered = signedBytes(major, minor, suggestMajor, suggestMinor, sessionId, requestId, sessionCounter,
                headerAndBody);
        byte[] sig = sign(hash, covered);
        return new Credential(0, 0, 0, "", sessionCounter, Credential.TYPE_SIGNED, hash.hashId(), Bytes.wrap(sig));
    }

    /**
     * A raw signature over {@code data} with the given hash.
     *
     * @throws IllegalArgumentException if this signer is not ready for {@code hash} (see {@link #hashFor})
     */
    public byte[] sign(HashAlgorithm hash, byte[] data) {
        ThreadLocal<Signature> local = signatures.get(hash);
        if (local == null) {
            throw new IllegalArgumentException("this " + algorithm + " signer signs with " + signatures.keySet()
                    + ", not " + hash);
        }
        Signature s = local.get();
        try {
            s.update(data);
            return s.sign();
        } catch (SignatureException e) {
            // A Signature that threw may be left mid-operation; drop it so the next call starts clean.
            local.remove();
            throw new CryptoEngineException(s.getAlgorithm() + " signing failed", e);
        }
    }

    /** {@link #signedBytes(int, int, int, int, int, int, int, byte[])} with the fields of an envelope. */
    public static byte[] signedBytes(Envelope envelope, int sessionCounter, byte[] headerAndBody) {
        return signedBytes(envelope.majorVersion(), envelope.minorVersion(), envelope.suggestedMajor(),
                envelope.suggestedMinor(), envelope.sessionId(), envelope.requestId(), sessionCounter, headerAndBody);
    }

    /**
     * The bytes an {@code HS_SIGNED} credential (and, from 2.7, an {@code HS_MAC}) covers (§2.3): from 2.8
     * {@code major minor suggestMajor suggestMinor sessionId requestId sessionCounter} (16 bytes), at 2.7 the
     * same without the suggested version (14 bytes), then the exact header+body; below 2.6 header+body only.
     * At exactly 2.6 the library writes its three ints over one another (each write restarts at offset 4),
     * leaving {@code major minor sessionId[0..1] sessionCounter} and six zero bytes; that is reproduced here
     * so 2.6 peers verify our signatures.
     */
    public static byte[] signedBytes(int major, int minor, int suggestMajor, int suggestMinor, int sessionId,
            int requestId, int sessionCounter, byte[] headerAndBody) {
        ProtocolVersion version = ProtocolVersion.of(major, minor);
        if (!version.signsVersionAndIds()) {
            return headerAndBody.clone();
        }
        int prefix = version.signsSuggestedVersion() ? 16 : 14;
        byte[] out = new byte[prefix + headerAndBody.length];
        writeCoveredPrefix(out, major, minor, suggestMajor, suggestMinor, sessionId, requestId, sessionCounter);
        System.arraycopy(headerAndBody, 0, out, prefix, headerAndBody.length);
        return out;
    }

    /**
     * Writes the part of {@link #signedBytes} before the header and body into {@code out} (at least 16 bytes)
     * and returns its length: 16 from 2.8, 14 at 2.6 and 2.7, 0 below 2.6. For callers that feed the header and
     * body to their engine from where they lie, without assembling the covered bytes.
     */
    public static int writeCoveredPrefix(byte[] out, int major, int minor, int suggestMajor, int suggestMinor,
            int sessionId, int requestId, int sessionCounter) {
        ProtocolVersion version = ProtocolVersion.of(major, minor);
        if (!version.signsVersionAndIds()) {
            return 0;
        }
        int prefix = version.signsSuggestedVersion() ? 16 : 14;
        out[0] = (byte) major;
        out[1] = (byte) minor;
        int pos = 2;
        if (version.signsSuggestedVersion()) {
            out[pos++] = (byte) suggestMajor;
            out[pos++] = (byte) suggestMinor;
        }
        if (version.signedPrefixKeepsEachId()) {
            putInt(out, pos, sessionId);
            putInt(out, pos + 4, requestId);
            putInt(out, pos + 8, sessionCounter);
        } else {
            Arrays.fill(out, pos, prefix, (byte) 0);
            putInt(out, 2, sessionId);
            putInt(out, 4, requestId);
            putInt(out, 4, sessionCounter);
        }
        return prefix;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** The longest DER {@code SEQUENCE{INTEGER r, INTEGER s}} for a group order of {@code orderBits} bits. */
    private static int derSignatureLength(int orderBits) {
        int q = (orderBits + 7) / 8;
        return 2 + 2 * (2 + q + 1);
    }

    private Signature initSign(JcaEngines engines, String alg) {
        Signature s = engines.signature(alg);
        try {
            s.initSign(key);
        } catch (InvalidKeyException e) {
            throw new CryptoEngineException(alg + " cannot sign with this " + algorithm + " key", e);
        }
        return s;
    }
}
