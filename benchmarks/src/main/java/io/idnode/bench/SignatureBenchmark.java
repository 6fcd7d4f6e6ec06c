package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.crypto.CredentialVerifier;
import io.idnode.crypto.MessageSigner;
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
    Envelope envelope;
    byte[] headerAndBody;
    Credential credential;

    @Setup(Level.Trial)
    public void setUp() throws CodecException {
        keys = BenchNode.generate(algorithm, algorithm.equals("RSA") ? 2048 : 1024);
        signer = new MessageSigner(keys.getPrivate());
        envelope = Envelope.request(0, 1).replyEnvelope(0);
        headerAndBody = CoveredBytes.typicalReply();
        credential = signer.sign(envelope, 0, headerAndBody);
        if (!CredentialVerifier.DEFAULT.verifySignature(credential, keys.getPublic(), envelope, headerAndBody)) {
            throw new IllegalStateException(algorithm + " signature does not verify");
        }
    }

    @Benchmark
    public Credential sign() {
        return signer.sign(envelope, 0, headerAndBody);
    }

    @Benchmark
    public boolean verify() throws CodecException {
        return CredentialVerifier.DEFAULT.verifySignature(credential, keys.getPublic(), envelope, headerAndBody);
    }
}
