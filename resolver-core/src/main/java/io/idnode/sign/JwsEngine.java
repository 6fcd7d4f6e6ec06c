package io.idnode.sign;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;

/**
 * Makes and checks JWS signatures (handle-protocol.md §5.6, cn-extensions.md §5.1) with the JCA signature
 * the {@link SignatureAlgorithm} registry names for each {@code alg}, from the engines {@link CryptoProviders}
 * assigns it. Thread-safe: each call takes a fresh engine.
 */
public final class JwsEngine {
    private final CryptoProviders providers;

    /** An engine drawing its signatures from {@code providers}. */
    public JwsEngine(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /** The providers this engine uses, for the key codecs that go with it. */
    public CryptoProviders providers() {
        return providers;
    }

    /**
     * A JWS of {@code payload} signed with {@code key}, under the {@code alg} of the key's algorithm.
     *
     * @throws UnsupportedAlgorithmException if the key's algorithm has no registry entry
     */
    public Jws sign(byte[] payload, PrivateKey key) throws UnsupportedAlgorithmException {
        SignatureAlgorithm alg = SignatureAlgorithm.forKey(key);
        Signature s = providers.forAlgorithm(alg).signature(alg.jwsSignature());
        try {
            s.initSign(key);
            s.update(Jws.signingInput(alg, payload).getBytes(StandardCharsets.US_ASCII));
            return Jws.assemble(alg, payload, s.sign());
        } catch (InvalidKeyException | SignatureException e) {
            throw new CryptoEngineException(alg.jwsSignature() + " refused the signing key", e);
        }
    }

    /**
     * True if {@code jws} carries a valid signature by {@code key}. A key of another algorithm than the
     * JWS names, or a signature the engine cannot even parse, is {@code false}.
     */
    public boolean verify(Jws jws, PublicKey key) {
        SignatureAlgorithm alg = jws.algorithm();
        if (!sameEntry(key, alg)) {
            return false;
        }
        Signature s = providers.forAlgorithm(alg).signature(alg.jwsSignature());
        try {
            s.initVerify(key);
            s.update(jws.signingInput());
            return s.verify(jws.signature());
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        }
    }

    private static boolean sameEntry(PublicKey key, SignatureAlgorithm alg) {
        try {
            return SignatureAlgorithm.forKey(key) == alg;
        } catch (UnsupportedAlgorithmException e) {
            return false;
        }
    }
}
