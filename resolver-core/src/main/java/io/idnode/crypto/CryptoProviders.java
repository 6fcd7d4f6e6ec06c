package io.idnode.crypto;

import java.security.Provider;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Which JCA provider serves which algorithm: the JDK's configured providers for the standard algorithms (RSA,
 * DSA, Diffie-Hellman, AES, HMAC, PBKDF2, digests), exactly as the node has always used them, and a private
 * BouncyCastle instance for what the JDK lacks (SM2, SM3; Ed25519 with it). BouncyCastle is passed to each
 * lookup, never installed with {@code Security.addProvider}, so nothing else in the JVM changes. Created once
 * by whoever assembles the node (the provider is large) and passed to every crypto object. Immutable and
 * thread-safe.
 */
public final class CryptoProviders {
    /** Where a {@link SignatureAlgorithm}'s keys and signatures come from. */
    public enum Source {
        /** The JDK's configured providers, in their order. */
        JDK,
        /** This context's own BouncyCastle instance. */
        BOUNCY_CASTLE
    }

    private final JcaEngines jdk;
    private final JcaEngines bouncyCastle;
    private final Provider bouncyCastleProvider;

    private CryptoProviders(BouncyCastleProvider bouncyCastle) {
        this.jdk = new JcaEngines(null);
        this.bouncyCastleProvider = Objects.requireNonNull(bouncyCastle, "bouncyCastle");
        this.bouncyCastle = new JcaEngines(bouncyCastle);
    }

    /** The JDK's providers for the standard algorithms and a new BouncyCastle provider for the others. */
    public static CryptoProviders create() {
        return new CryptoProviders(new BouncyCastleProvider());
    }

    /** Engines for the standard algorithms: DH, AES, HMAC, PBKDF2, digests, and RSA/DSA keys and signatures. */
    public JcaEngines jdk() {
        return jdk;
    }

    /** BouncyCastle's engines (SM2, SM3, Ed25519), from the instance this context owns. */
    public JcaEngines bouncyCastle() {
        return bouncyCastle;
    }

    /**
     * This context's BouncyCastle instance itself, for library builders that take a provider (e.g. PKCS#8
     * decryptors); never to be installed globally.
     */
    public Provider bouncyCastleProvider() {
        return bouncyCastleProvider;
    }

    /** The engines for keys and signatures of {@code algorithm}. */
    public JcaEngines forAlgorithm(SignatureAlgorithm algorithm) {
        return switch (algorithm.source()) {
            case JDK -> jdk;
            case BOUNCY_CASTLE -> bouncyCastle;
        };
    }
}
