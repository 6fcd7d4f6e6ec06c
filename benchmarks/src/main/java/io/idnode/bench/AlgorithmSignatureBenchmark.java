package io.idnode.bench;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One signature and one verification per registry algorithm, as HS_SIGNATURE and HS_CERT make them
 * (handle-protocol.md §5.6, cn-extensions.md §5): the JWS signature engine of {@link SignatureAlgorithm} from
 * the {@link CryptoProviders} source it names, over a 400-byte JWS signing input. RS256 with RSA-2048, DS256
 * with DSA-2048 (SHA-256), ES256 on P-256 (JDK), EdDSA with Ed25519 and SM2256 on sm2p256v1 with SM3
 * (BouncyCastle). Engines are initialised once per trial, as a signer keeps them.
 */
@State(Scope.Thread)
public class AlgorithmSignatureBenchmark extends AbstractBenchmark {
    @Param({"RSA", "DSA", "ECDSA_P256", "ED25519", "SM2"})
    String algorithm;

    byte[] input;
    byte[] signature;
    Signature signer;
    Signature verifier;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        CryptoProviders crypto = CryptoProviders.create();
        SignatureAlgorithm alg = SignatureAlgorithm.valueOf(algorithm);
        KeyPair keys = new KeyFiles(crypto).generate(alg, new SecureRandom());
        input = ("eyJhbGciOiJTTTIyNTYifQ." + "x".repeat(377)).getBytes(StandardCharsets.US_ASCII);
        signer = crypto.forAlgorithm(alg).signature(alg.jwsSignature());
        signer.initSign(keys.getPrivate());
        verifier = crypto.forAlgorithm(alg).signature(alg.jwsSignature());
        verifier.initVerify(keys.getPublic());
        signature = sign();
        if (!verify()) {
            throw new IllegalStateException(alg + " signature does not verify");
        }
    }

    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        signer.update(input);
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        verifier.update(input);
        return verifier.verify(signature);
    }
}
