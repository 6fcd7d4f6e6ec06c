package io.idnode.bench;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.server.NodeKeyType;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signing a certified reply and verifying the signature (handle-protocol.md §2.3) at version 2.11, i.e.
 * SHA-256, over the covered bytes of a typical 345-byte reply: the node key types of {@code --key-type}
 * ({@link NodeKeyType}, made as the node makes them: RSA-2048 PKCS#1 v1.5, DSA-2048, ECDSA P-256) and
 * DSA-1024 (the size Handle tools generate; {@link MessageSigner} also prepares SHA-1, which the JDK refuses
 * for larger DSA keys).
 */
@State(Scope.Benchmark)
public class SignatureBenchmark extends AbstractBenchmark {
    /** A node key type's name with its size ({@code RSA-2048}), or {@code DSA-1024}. */
    @Param({"RSA-2048", "DSA-1024", "DSA-2048", "EC-P256"})
    String key;

    KeyPair keys;
    MessageSigner signer;
    CredentialVerifier verifier;
    Envelope envelope;
    byte[] headerAndBody;
    Credential credential;

    @Setup(Level.Trial)
    public void setUp() throws CryptoException {
        CryptoProviders crypto = CryptoProviders.create();
        keys = key.equals("DSA-1024") ? BenchNode.generate("DSA", 1024)
                : NodeKeyType.parse(key.split("-")[0]).generate(crypto, new SecureRandom());
        signer = new MessageSigner(keys.getPrivate(), crypto);
        verifier = new CredentialVerifier(crypto);
        envelope = Envelope.request(0, 1).replyEnvelope(0);
        headerAndBody = CoveredBytes.typicalReply();
        credential = signer.sign(envelope, 0, headerAndBody);
        if (!verifier.verifySignature(credential, keys.getPublic(), envelope, headerAndBody)) {
            throw new IllegalStateException(key + " signature does not verify");
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
