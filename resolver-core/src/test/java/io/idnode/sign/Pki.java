package io.idnode.sign;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A small public-key infrastructure for tests, with real keys: a self-issued root at {@code rootHandle}, an
 * intermediate at {@code 0.NA/88.100.1} allowed handles under 88.100.1, and a signer {@code 300:88.100.1/LINE-1}
 * certified by the intermediate, all certificates held in an {@link InMemoryRecordSource}.
 */
final class Pki {
    static final JwsEngine ENGINE = new JwsEngine(CryptoFixtures.PROVIDERS);
    static final Duration YEAR = Duration.ofDays(365);

    final String rootHandle;
    final KeyPair root;
    final KeyPair intermediate;
    final KeyPair signer;
    final ValueReference rootRef;
    final ValueReference intermediateRef = new ValueReference("0.NA/88.100.1", 300);
    final ValueReference signerRef = new ValueReference("88.100.1/LINE-1", 300);
    final InMemoryRecordSource records = new InMemoryRecordSource();
    final Clock clock;

    Pki(String keyAlgorithm, String rootHandle, Clock clock) throws Exception {
        this.rootHandle = rootHandle;
        this.clock = clock;
        this.root = keys(keyAlgorithm);
        this.intermediate = keys(keyAlgorithm);
        this.signer = keys(keyAlgorithm);
        this.rootRef = new ValueReference(rootHandle, 300);
        RecordSigner rootSigner = signer(root, rootRef);
        records.put(rootHandle, List.of(cert(rootSigner.certify(rootRef, root.getPublic(),
                List.of(Permission.everything()), YEAR))));
        records.put(intermediateRef.handle(), List.of(cert(rootSigner.certify(intermediateRef,
                intermediate.getPublic(), List.of(new Permission("0.NA/88.100.1",
                        Permission.Kind.HANDLES_UNDER_THIS_PREFIX)), YEAR))));
        records.put(signerRef.handle(), List.of(cert(signer(intermediate, intermediateRef).certify(signerRef,
                signer.getPublic(), List.of(new Permission("0.NA/88.100.1",
                        Permission.Kind.HANDLES_UNDER_THIS_PREFIX)), YEAR))));
    }

    static KeyPair keys(String algorithm) throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(2048);
        return g.generateKeyPair();
    }

    RecordSigner signer(KeyPair keys, ValueReference who) throws Exception {
        return new RecordSigner(ENGINE, keys.getPrivate(), who, List.of(), YEAR, clock);
    }

    /** The production line's signer. */
    RecordSigner lineSigner() throws Exception {
        return signer(signer, signerRef);
    }

    RecordVerifier verifier() {
        return new RecordVerifier(ENGINE, List.of(new TrustRoot(rootHandle, root.getPublic())), records,
                RecordVerifier.DEFAULT_MAX_CHAIN_LENGTH, clock);
    }

    static HandleValue cert(Jws jws) {
        return HandleValue.builder(RecordSigner.SIGNATURE_INDEX, ValueTypes.HS_CERT)
                .data(jws.compact().getBytes(StandardCharsets.UTF_8)).build();
    }

    static List<HandleValue> pumpValues() {
        return List.of(HandleValue.builder(1, "URL").data("https://example.com/p/1").build(),
                HandleValue.builder(2, "PRODUCT_DATA").data("{\"model\":\"CP-200\"}").build(),
                HandleValue.builder(3, ValueTypes.HS_SECKEY).permissions(0x0C).data("secret").build());
    }
}
