package io.idnode.bench;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The session MAC of a message (handle-protocol.md §2.3, HMAC-SHA256 at 2.11) with a 32-byte session key:
 * computing the credential and checking it, over the covered bytes of a typical 345-byte reply.
 */
@State(Scope.Benchmark)
public class SessionMacBenchmark extends AbstractBenchmark {
    SessionKeys keys;
    CredentialVerifier verifier;
    byte[] sessionKey;
    Envelope envelope;
    byte[] headerAndBody;
    Credential credential;

    @Setup(Level.Trial)
    public void setUp() throws CryptoException {
        CryptoProviders crypto = CryptoProviders.create();
        keys = new SessionKeys(crypto);
        verifier = new CredentialVerifier(crypto);
        sessionKey = new byte[SessionKeys.SESSION_KEY_LENGTH];
        new SplittableRandom(1).nextBytes(sessionKey);
        envelope = Envelope.request(5, 1).replyEnvelope(5);
        headerAndBody = CoveredBytes.typicalReply();
        credential = keys.macCredential(sessionKey, envelope, 1, headerAndBody);
        if (!verifier.verifyMac(credential, sessionKey, envelope, headerAndBody)) {
            throw new IllegalStateException("session MAC does not verify");
        }
    }

    @Benchmark
    public Credential mac() {
        return keys.macCredential(sessionKey, envelope, 1, headerAndBody);
    }

    @Benchmark
    public boolean verify() throws CryptoException {
        return verifier.verifyMac(credential, sessionKey, envelope, headerAndBody);
    }
}
