package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoProviders;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.TestNode;
import io.idnode.sign.Jws;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.Permission;
import io.idnode.sign.RecordSigner;
import io.idnode.sign.RecordVerifier;
import io.idnode.sign.TrustRoot;
import io.idnode.sign.VerificationReport;
import io.idnode.sign.policy.SignaturePolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed records end to end on a real node: the prefix 88.100.1 requires signatures chained to the root
 * 88.111.1/0.0 (homed on the same node, with the signer's certificate at 88.111.1/LINE-1). Unsigned or tampered
 * creates and changes are refused with the reasons and leave nothing behind; signed ones, single or in a batch
 * signing in parallel, are stored and verify over the network.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class SignedRecordsTest {
    static final String ROOT = "88.111.1/0.0";
    static final String LINE = "88.111.1/LINE-1";
    static final CryptoProviders PROVIDERS = CryptoProviders.create();
    static final JwsEngine ENGINE = new JwsEngine(PROVIDERS);
    static final KeyPair ROOT_KEYS = keys();
    static final KeyPair LINE_KEYS = keys();

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX, "88.111.1"))
            .admins(List.of(new ValueReference(TestClients.PREFIX_HANDLE, 300))).signaturePolicy(
            SignaturePolicy.NONE.with(PREFIX, List.of(new TrustRoot(ROOT, ROOT_KEYS.getPublic())))));

    static HandleClient admin;
    static RecordSigning signing;

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void certificates() throws Exception {
        admin = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
        ValueReference rootRef = new ValueReference(ROOT, 300);
        ValueReference lineRef = new ValueReference(LINE, 300);
        RecordSigner root = new RecordSigner(ENGINE, ROOT_KEYS.getPrivate(), rootRef, List.of(), Duration.ofDays(30),
                Clock.systemUTC());
        Jws rootCert = root.certify(rootRef, ROOT_KEYS.getPublic(), List.of(Permission.everything()),
                Duration.ofDays(30));
        Jws lineCert = root.certify(lineRef, LINE_KEYS.getPublic(), List.of(new Permission("0.NA/" + PREFIX,
                Permission.Kind.HANDLES_UNDER_THIS_PREFIX)), Duration.ofDays(30));
        BlockingHandleClient c = admin.blocking();
        c.create(ROOT, List.of(Values.publicKey(300, ROOT_KEYS.getPublic()), cert(rootCert),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));
        c.create(LINE, List.of(Values.publicKey(300, LINE_KEYS.getPublic()), cert(lineCert),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));
        signing = new RecordSigning(new RecordSigner(ENGINE, LINE_KEYS.getPrivate(), lineRef, List.of(),
                Duration.ofDays(30), Clock.systemUTC()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    static HandleValue cert(Jws jws) {
        return Values.bytes(400, ValueTypes.HS_CERT, jws.compact().getBytes(StandardCharsets.US_ASCII));
    }

    static List<HandleValue> pump(String name) {
        return List.of(Values.url(1, "https://example.com/" + name), Values.json(2, "PRODUCT_DATA",
                "{\"model\":\"CP-200\"}"), Values.admin(100, ADMIN, AdminPermissions.ALL));
    }

    static VerificationReport verifyOverTheNetwork(String handle) {
        RecordVerifier verifier = new RecordVerifier(ENGINE, List.of(new TrustRoot(ROOT, ROOT_KEYS.getPublic())),
                new ResolverRecordSource(admin), 10, Clock.systemUTC());
        return verifier.verify(handle, admin.resolve(handle).join().values(), true);
    }

    static void assertAbsent(String handle) {
        assertThatThrownBy(() -> admin.resolve(handle).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ResponseException.class, e ->
                        assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
    }

    static void assertRefused(Runnable write, String... reasons) {
        assertThatThrownBy(write::run).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ResponseException.class, e -> {
                    assertThat(e.responseCode()).isEqualTo(ResponseCode.INVALID_VALUE);
                    assertThat(e.serverMessage()).contains("must carry a valid signature chained to a trusted root")
                            .contains(reasons);
                });
    }

    @Test
    void anUnsignedCreateIsRefusedAndNothingIsWritten() {
        String h = PREFIX + "/UNSIGNED-1";
        assertRefused(() -> admin.create(h, pump("u1")).join(), "the record holds no HS_SIGNATURE value");
        assertAbsent(h);
    }

    @Test
    void aTamperedCreateIsRefusedAndTheSameCreateSignedSucceeds() {
        String h = PREFIX + "/SIGNED-1";
        List<HandleValue> signed = signing.sign(h, pump("s1"));
        List<HandleValue> tampered = new ArrayList<>(signed);
        tampered.set(0, Values.url(1, "https://evil.example/s1"));
        assertRefused(() -> admin.create(h, tampered).join(), "values changed since signing: 1");
        assertAbsent(h);

        assertThat(admin.create(h, signed).join().created()).isTrue();
        VerificationReport report = verifyOverTheNetwork(h);
        assertThat(report.verified()).as(report.render()).isTrue();
        assertThat(report.signatures().get(0).chain()).hasSize(2);
    }

    @Test
    void aSignatureBySomeoneOutsideTheTrustedRootIsRefused() throws Exception {
        KeyPair stranger = keys();
        ValueReference who = new ValueReference(LINE, 300);
        RecordSigner forger = new RecordSigner(ENGINE, stranger.getPrivate(), who, List.of(), Duration.ofDays(1),
                Clock.systemUTC());
        String h = PREFIX + "/FORGED-1";
        assertRefused(() -> admin.create(h, forger.signed(h, pump("f1"))).join(),
                "the signature does not verify with the key certified for 300:88.111.1/LINE-1");
        assertAbsent(h);
    }

    @Test
    void changesMustKeepTheRecordSigned() {
        String h = PREFIX + "/SIGNED-2";
        List<HandleValue> signed = signing.sign(h, pump("s2"));
        admin.create(h, signed).join();

        assertRefused(() -> admin.addValues(h, List.of(Values.email(3, "x@example.com"))).join(),
                "values not covered by a valid signature: 3");
        assertRefused(() -> admin.removeValues(h, 2).join(), "signed values missing: 2");
        assertThat(admin.resolve(h).join().values()).hasSameSizeAs(signed);

        List<HandleValue> more = new ArrayList<>(signed);
        more.add(Values.email(3, "x@example.com"));
        List<HandleValue> resigned = signing.sign(h, more);
        assertRefused(() -> admin.modifyValues(h, List.of(resigned.get(resigned.size() - 1))).join(),
                "signed values missing: 3");
        admin.create(CreateRequest.of(h, resigned).withIfExists(IfExists.OVERWRITE)).join();
        VerificationReport report = verifyOverTheNetwork(h);
        assertThat(report.verified()).as(report.render()).isTrue();
        assertThat(report.signatures().get(0).verifiedValues()).containsExactly(1, 2, 100, 3);
    }

    @Test
    void aBatchSignsInParallelAndEveryRecordVerifies() {
        List<Registration> items = IntStream.range(0, 40).mapToObj(i -> new Registration(PREFIX + "/BATCH-" + i,
                pump("b" + i))).toList();
        List<RegistrationResult> results = new CopyOnWriteArrayList<>();
        BatchSummary summary = admin.register(items.iterator(), BatchOptions.defaults().withMaxInFlight(16)
                .withSigning(signing).withOnResult(results::add)).completion().join();

        assertThat(summary.created()).as("%s", results).isEqualTo(40);
        assertThat(verifyOverTheNetwork(PREFIX + "/BATCH-7").verified()).isTrue();
        assertThat(verifyOverTheNetwork(PREFIX + "/BATCH-39").verified()).isTrue();
    }

    @Test
    void recordsOutsideTheSignedPrefixNeedNoSignature() {
        assertThat(admin.create("88.111.1/FREE-1", pump("free")).join().created()).isTrue();
    }
}
