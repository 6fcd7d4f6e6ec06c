package io.idnode.bench;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.sign.InMemoryRecordSource;
import io.idnode.sign.Jws;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.Permission;
import io.idnode.sign.RecordSigner;
import io.idnode.sign.RecordVerifier;
import io.idnode.sign.TrustRoot;
import io.idnode.sign.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Record signatures (handle-protocol.md §5.6) per algorithm of the registry: {@code sign} makes the
 * HS_SIGNATURE of a three-value product record (digests, claims, JWS), {@code verifyJws} checks one JWS
 * signature, {@code verifyRecord} verifies the record whole through a two-certificate chain (signer, root)
 * held in memory: three signature checks, the digests and the report.
 */
@State(Scope.Benchmark)
public class RecordSignatureBenchmark extends AbstractBenchmark {
    @Param({"RSA", "DSA", "ECDSA_P256", "ED25519", "SM2"})
    String algorithm;

    static final String HANDLE = "88.100.1/PUMP-2026-000123";

    RecordSigner signer;
    JwsEngine engine;
    KeyPair line;
    Jws jws;
    List<HandleValue> values;
    List<HandleValue> signed;
    RecordVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CryptoProviders crypto = CryptoProviders.create();
        SignatureAlgorithm alg = SignatureAlgorithm.valueOf(algorithm);
        KeyFiles files = new KeyFiles(crypto);
        KeyPair root = files.generate(alg, new SecureRandom());
        line = files.generate(alg, new SecureRandom());
        engine = new JwsEngine(crypto);
        ValueReference rootRef = new ValueReference("88.111.1/0.0", 300);
        ValueReference lineRef = new ValueReference("88.111.1/LINE-1", 300);
        Duration year = Duration.ofDays(365);
        RecordSigner rootSigner = new RecordSigner(engine, root.getPrivate(), rootRef, List.of(), year,
                Clock.systemUTC());
        InMemoryRecordSource certs = new InMemoryRecordSource()
                .put(rootRef.handle(), List.of(cert(rootSigner.certify(rootRef, root.getPublic(),
                        List.of(Permission.everything()), year))))
                .put(lineRef.handle(), List.of(cert(rootSigner.certify(lineRef, line.getPublic(),
                        List.of(new Permission("0.NA/88.100.1", Permission.Kind.HANDLES_UNDER_THIS_PREFIX)), year))));
        signer = new RecordSigner(engine, line.getPrivate(), lineRef, List.of(), year, Clock.systemUTC());
        values = List.of(HandleValue.builder(1, "URL").data("https://example.com/products/PUMP-2026-000123").build(),
                HandleValue.builder(2, "PRODUCT_DATA").data("{\"model\":\"CP-200\",\"batch\":\"B7\"}").build(),
                HandleValue.builder(100, ValueTypes.HS_ADMIN).data(new byte[24]).build());
        signed = signer.signed(HANDLE, values);
        jws = Jws.parse(signed.get(signed.size() - 1).dataAsString());
        verifier = new RecordVerifier(engine, List.of(new TrustRoot(rootRef.handle(), root.getPublic())), certs, 10,
                Clock.systemUTC());
        VerificationReport report = verifier.verify(HANDLE, signed, true);
        if (!report.verified() || report.signatures().get(0).chain().size() != 2) {
            throw new IllegalStateException(algorithm + ": " + report.render());
        }
    }

    private static HandleValue cert(Jws jws) {
        return HandleValue.builder(400, ValueTypes.HS_CERT).data(jws.compact().getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    @Benchmark
    public Jws sign() {
        return signer.sign(HANDLE, values);
    }

    @Benchmark
    public boolean verifyJws() {
        return engine.verify(jws, line.getPublic());
    }

    @Benchmark
    public boolean verifyRecord() {
        return verifier.verify(HANDLE, signed, true).verified();
    }
}
