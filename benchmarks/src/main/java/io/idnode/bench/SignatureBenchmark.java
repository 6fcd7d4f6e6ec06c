package io.idnode.bench;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import java.security.KeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signing a certified reply and verifying the signature (handle-protocol.md §2.3) at version 2.11, i.e.
 * SHA-256: RSA-2048 (PKCS#1 v1.5) and DSA-1024 (the size Handle tools generate; {@link MessageSigner} also
 * prepares SHA-1, which the JDK refuses for larger DSA keys), over the covered bytes of a typical 345-byte
 * reply.
 */
@State(Scope.Benchmark)
public class SignatureBenchmark extends AbstractBenchmark {
    @Param({"RSA", "DSA"})
    String algorithm;

    KeyPair keys;
    MessageSigner signer;
    CredentialVerifier verifier;
    Envelope envelope;
    byte[] headerAndBody;
    Credential credential;

    @Setup(Level.Trial)
    public void setUp() throws CryptoException {
        CryptoProviders crypto = CryptoProviders.create();
        keys = BenchNode.generate(algorithm, algorithm.equals("RSA") ? 2048 : 1024);
        signer = new MessageSigner(keys.getPrivate(), crypto);
        verifier = new CredentialVerifier(crypto);
        envelope = Envelope.request(0, 1).replyEnvelope(0);
        headerAndBody = CoveredBytes.typicalReply();
        credential = signer.sign(envelope, 0, headerAndBody);
        if (!verifier.verifySignature(credential, keys.getPublic(), envelope, headerAndBody)) {
            throw new IllegalStateException(algorithm + " signature does not verify");
        }
    }

    @Benchmark
    public Credential sign() {
        return signer.sign(envelope, 0, headerAndBody);
    }

    @Benchmark
    public boolean verify() throws CryptoException {
        return verifier.verifySignature(credential, keys.getPublic(), envelope, headerAndBody);
    }
}
