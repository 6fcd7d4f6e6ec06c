package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.handler.PendingChallenges;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.handle.hdllib.AbstractRequest;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.AddValueRequest;
import net.handle.hdllib.AdminRecord;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.AuthenticationInfo;
import net.handle.hdllib.ChallengeResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.CreateHandleResponse;
import net.handle.hdllib.DeleteHandleRequest;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.HomeNaRequest;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ListHandlesRequest;
import net.handle.hdllib.ListHandlesResponse;
import net.handle.hdllib.ListNAsRequest;
import net.handle.hdllib.ListNAsResponse;
import net.handle.hdllib.ModifyValueRequest;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.RemoveValueRequest;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.SecretKeyAuthenticationInfo;
import net.handle.hdllib.UnhomeNaRequest;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Administration by the stock CNRI client 9.3.1 against a real node over TCP, authenticated with an RSA key
 * (the node's bootstrap administrator), a DSA key and a secret key; every change and every refusal is checked
 * by resolving afterwards. Run once per session mode of the client ({@link #sessions()}): plain challenge and
 * answer per request, or the library's default session tracker (handle-protocol.md §6.5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StockClientAdminScenarios {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);

    static final String PREFIX = "88.100.1";
    static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    static final String GROUP = PREFIX + "/ADMINS";
    static final String DSA_ID = PREFIX + "/ADMIN-DSA";
    static final String SEC_ID = PREFIX + "/ADMIN-SEC";
    static final String NOBODY = PREFIX + "/NOBODY";
    static final byte[] SECRET = "correct horse battery".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path temp;

    /** Challenge time, moved by hand. */
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Node node;
    HandleResolver resolver;
    PrivateKey rsaAdmin;
    KeyPair dsa;

    enum Kind { RSA, DSA, SECKEY }

    /** True: the client keeps its default session tracker; false: {@code setSessionTracker(null)}. */
    abstract boolean sessions();

    @BeforeAll
    void startNode() throws Exception {
        Path data = temp.resolve("data");
        node = Node.start(TestNode.config(data).prefixes(List.of(PREFIX))
                .admins(List.of(new ValueReference(PREFIX_HANDLE, 300))).ticker(nanos::get).build());
        rsaAdmin = KEY_FILES.readPrivateKeyPem(data.resolve("keys").resolve("admin.pem"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
        g.initialize(2048);
        dsa = g.generateKeyPair();
        int ts = 1_700_000_000;
        // Identities: a DSA key, a secret key, and one that is nobody's admin.
        node.store().put(HandleRecord.of(DSA_ID, List.of(
                HandleValue.builder(300, "HS_PUBKEY").data(KEY_CODEC.encodePublicKey(dsa.getPublic()))
                        .timestamp(ts).build())));
        node.store().put(HandleRecord.of(SEC_ID, List.of(
                HandleValue.builder(301, "HS_SECKEY").data(SECRET)
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(ts).build())));
        node.store().put(HandleRecord.of(NOBODY, List.of(
                HandleValue.builder(301, "HS_SECKEY").data(SECRET)
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(ts).build())));
        // The admin group: all three identities; the prefix record grants the group every permission.
        node.store().put(HandleRecord.of(GROUP, List.of(
                HandleValue.builder(200, "HS_VLIST").data(ValueListCodec.encode(List.of(
                        new ValueReference(PREFIX_HANDLE, 300), new ValueReference(DSA_ID, 300),
                        new ValueReference(SEC_ID, 301)))).timestamp(ts).build())));
        HandleRecord prefix = node.store().get(PREFIX_HANDLE);
        List<HandleValue> values = new ArrayList<>(prefix.values());
        values.add(admin(101, GROUP, 200, AdminValue.ALL));
        node.store().put(new HandleRecord(prefix.handle(), values, prefix.metadata()));
        resolver = StockClients.resolver(data, temp.resolve("client"), sessions(), Interface.SP_HDL_TCP);
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    static HandleValue admin(int index, String handle, int adminIndex, int permissions) {
        return HandleValue.builder(index, ValueTypes.HS_ADMIN)
                .data(AdminValueCodec.encode(new AdminValue(permissions, handle, adminIndex))).timestamp(0).build();
    }

    static net.handle.hdllib.HandleValue stock(int index, String type, String data) {
        return new net.handle.hdllib.HandleValue(index, type, data);
    }

    /** An HS_ADMIN with every permission, encoded by the stock library (as the README shows). */
    static net.handle.hdllib.HandleValue stockAdmin(int index, String handle, int adminIndex) {
        AdminRecord all = new AdminRecord(Util.encodeString(handle), adminIndex,
                true, true, true, true, true, true, true, true, true, true, true, true);
        return new net.handle.hdllib.HandleValue(index, Util.encodeString(ValueTypes.HS_ADMIN),
                Encoder.encodeAdminRecord(all));
    }

    AuthenticationInfo auth(Kind kind) throws Exception {
        return switch (kind) {
            case RSA -> new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300, rsaAdmin);
            case DSA -> new PublicKeyAuthenticationInfo(Util.encodeString(DSA_ID), 300, dsa.getPrivate());
            case SECKEY -> new SecretKeyAuthenticationInfo(Util.encodeString(SEC_ID), 301, SECRET);
        };
    }

    AbstractResponse send(AbstractRequest req) throws HandleException {
        return resolver.processRequest(req);
    }

    int code(AbstractRequest req) {
        try {
            return send(req).responseCode;
        } catch (HandleException e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    net.handle.hdllib.HandleValue[] resolve(String handle) throws HandleException {
        return resolver.resolveHandle(handle);
    }

    static List<String> data(net.handle.hdllib.HandleValue[] values) {
        return Arrays.stream(values).map(v -> v.getIndex() + "=" + v.getTypeAsString() + ":" + v.getDataAsString())
                .sorted().toList();
    }

    void assertNotFound(String handle) {
        assertThatThrownBy(() -> resolve(handle)).isInstanceOf(HandleException.class)
                .satisfies(e -> assertThat(((HandleException) e).getCode()).isEqualTo(HandleException.HANDLE_DOES_NOT_EXIST));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void createAddModifyRemoveListDelete(Kind kind) throws Exception {
        String h = PREFIX + "/LIFE-" + kind;
        AuthenticationInfo auth = auth(kind);
        long before = System.currentTimeMillis() / 1000;

        AbstractResponse created = send(new CreateHandleRequest(Util.encodeString(h), new net.handle.hdllib.HandleValue[] {
            stock(1, "URL", "https://example.com/" + kind), stockAdmin(100, GROUP, 200)}, auth));
        assertThat(created.responseCode).isEqualTo(1);
        assertThat(Util.decodeString(((CreateHandleResponse) created).handle)).isEqualTo(h);
        if (sessions()) {
            assertThat(resolver.getSessionTracker().getAllSessions()).as("the client administers in a session")
                    .isNotEmpty();
        }
        net.handle.hdllib.HandleValue[] now = resolve(h);
        assertThat(data(now)).contains("1=URL:https://example.com/" + kind);
        assertThat(now[0].getTimestamp()).isGreaterThanOrEqualTo((int) before);

        assertThat(code(new AddValueRequest(Util.encodeString(h), stock(2, "EMAIL", "ops@example.com"), auth))).isEqualTo(1);
        assertThat(data(resolve(h))).contains("1=URL:https://example.com/" + kind, "2=EMAIL:ops@example.com");

        assertThat(code(new ModifyValueRequest(Util.encodeString(h), stock(1, "URL", "https://example.org/moved"), auth)))
                .isEqualTo(1);
        assertThat(data(resolve(h))).contains("1=URL:https://example.org/moved").doesNotContain(
                "1=URL:https://example.com/" + kind);

        assertThat(code(new RemoveValueRequest(Util.encodeString(h), 2, auth))).isEqualTo(1);
        assertThat(data(resolve(h))).noneMatch(s -> s.startsWith("2="));

        assertThat(list(auth)).contains(h);

        assertThat(code(new DeleteHandleRequest(Util.encodeString(h), auth))).isEqualTo(1);
        assertNotFound(h);
    }

    List<String> list(AuthenticationInfo auth) throws HandleException {
        List<String> handles = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        resolver.processRequest(new ListHandlesRequest(Util.encodeString(PREFIX_HANDLE), auth), response -> {
            codes.add(response.responseCode);
            if (response instanceof ListHandlesResponse l) {
                for (byte[] b : l.handles) {
                    handles.add(Util.decodeString(b));
                }
            }
        });
        assertThat(codes).isNotEmpty().allMatch(c -> c == 1);
        return handles;
    }

    @Test
    void listsManyHandlesInPagesOfFifty() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String h = PREFIX + "/PAGE-" + String.format("%03d", i);
            node.store().put(HandleRecord.of(h, List.of(HandleValue.builder(1, "URL").data("u" + i).build())));
            expected.add(h);
        }
        List<String> pages = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        resolver.processRequest(new ListHandlesRequest(Util.encodeString(PREFIX_HANDLE), auth(Kind.RSA)), response -> {
            pages.add(response.continuous + "/" + response.responseCode);
            if (response instanceof ListHandlesResponse l) {
                for (byte[] b : l.handles) {
                    handles.add(Util.decodeString(b));
                }
            }
        });
        assertThat(handles).containsAll(expected).doesNotHaveDuplicates();
        assertThat(pages.size()).isGreaterThanOrEqualTo(3);
        assertThat(pages.get(pages.size() - 1)).isEqualTo("false/1");
        assertThat(pages.subList(0, pages.size() - 1)).allMatch(p -> p.equals("true/1"));
    }

    @Test
    void wrongPrivateKeyIsRefusedAndChangesNothing() throws Exception {
        KeyPair other = KEY_FILES.generateRsa(new SecureRandom());
        String h = PREFIX + "/WRONG-KEY";
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "x")},
                new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300, other.getPrivate()));
        assertThat(code(req)).isEqualTo(403);
        assertNotFound(h);
    }

    @Test
    void identityWithoutPermissionIsInvalidAdmin() throws Exception {
        String h = PREFIX + "/NOT-YOURS";
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "x")},
                new SecretKeyAuthenticationInfo(Util.encodeString(NOBODY), 301, SECRET));
        assertThat(code(req)).isEqualTo(400);
        assertNotFound(h);
    }

    @Test
    void wrongSecretIsRefused() throws Exception {
        String h = PREFIX + "/WRONG-SECRET";
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "x")},
                new SecretKeyAuthenticationInfo(Util.encodeString(SEC_ID), 301, "wrong".getBytes(StandardCharsets.UTF_8)));
        assertThat(code(req)).isEqualTo(403);
        assertNotFound(h);
    }

    @Test
    void answerAfterTheChallengeExpiredIsTimedOut() throws Exception {
        String h = PREFIX + "/TOO-LATE";
        AuthenticationInfo slow = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300, rsaAdmin) {
            @Override
            public byte[] authenticate(ChallengeResponse challenge, AbstractRequest request) throws HandleException {
                nanos.addAndGet(PendingChallenges.DEFAULT_LIFETIME.plusSeconds(1).toNanos());
                return super.authenticate(challenge, request);
            }
        };
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "x")}, slow);
        assertThat(code(req)).isEqualTo(405);
        assertNotFound(h);
    }

    @Test
    void createOfExistingHandleWithoutOverwriteFails() throws Exception {
        String h = PREFIX + "/EXISTS";
        node.store().put(HandleRecord.of(h, List.of(HandleValue.builder(1, "URL").data("original").build(),
                admin(100, GROUP, 200, AdminValue.ALL))));
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "replaced")}, auth(Kind.RSA));
        assertThat(code(req)).isEqualTo(101);
        assertThat(data(resolve(h))).contains("1=URL:original");

        AbstractRequest overwrite = new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "replaced"), stockAdmin(100, GROUP, 200)},
                auth(Kind.RSA));
        overwrite.overwriteWhenExists = true;
        assertThat(code(overwrite)).isEqualTo(1);
        assertThat(data(resolve(h))).contains("1=URL:replaced").doesNotContain("1=URL:original");
    }

    @Test
    void mintAppendsAFreshSuffix() throws Exception {
        AbstractRequest req = new CreateHandleRequest(Util.encodeString(PREFIX + "/"),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "minted")}, auth(Kind.SECKEY));
        req.mintNewSuffix = true;
        AbstractResponse r = send(req);
        assertThat(r.responseCode).isEqualTo(1);
        String minted = Util.decodeString(((CreateHandleResponse) r).handle);
        assertThat(minted).startsWith(PREFIX + "/").hasSizeGreaterThan(PREFIX.length() + 1);
        assertThat(data(resolve(minted))).containsExactly("1=URL:minted");
    }

    @Test
    void addOfAnExistingIndexFails() throws Exception {
        String h = PREFIX + "/HAS-ONE";
        node.store().put(HandleRecord.of(h, List.of(HandleValue.builder(1, "URL").data("first").build(),
                admin(100, GROUP, 200, AdminValue.ALL))));
        assertThat(code(new AddValueRequest(Util.encodeString(h), stock(1, "URL", "second"), auth(Kind.DSA))))
                .isEqualTo(201);
        assertThat(data(resolve(h))).contains("1=URL:first").doesNotContain("1=URL:second");
    }

    @Test
    void indexZeroAndEmptyValueListAreInvalid() throws Exception {
        String h = PREFIX + "/ZERO";
        assertThat(code(new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(0, "URL", "zero")}, auth(Kind.RSA)))).isEqualTo(202);
        assertNotFound(h);
        assertThat(code(new CreateHandleRequest(Util.encodeString(h), new net.handle.hdllib.HandleValue[0],
                auth(Kind.RSA)))).isEqualTo(202);
        assertNotFound(h);
    }

    @Test
    void auditLogRecordsEveryOperation() throws Exception {
        String h = PREFIX + "/AUDITED";
        assertThat(code(new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "a")}, auth(Kind.RSA)))).isEqualTo(1);
        // Where the logging configuration put the audit file when logging started in this JVM.
        ch.qos.logback.classic.Logger auditLogger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.idnode.audit");
        Path audit = Path.of(((ch.qos.logback.core.FileAppender<?>) auditLogger.getAppender("AUDIT")).getFile());
        assertThat(Files.readAllLines(audit)).anyMatch(l -> l.contains("\"handle\":\"" + h + "\"")
                && l.contains("\"identity\":\"300:" + PREFIX_HANDLE + "\"") && l.contains("\"code\":1"));
    }

    @Test
    void restrictedValuesGoToReadersOnlyWhenPublicOnlyIsClear() throws Exception {
        String h = PREFIX + "/RESTRICTED";
        node.store().put(HandleRecord.of(h, List.of(HandleValue.builder(1, "URL").data("public").build(),
                HandleValue.builder(2, "NOTE").data("admins only")
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).build(),
                admin(100, GROUP, 200, AdminValue.READ_VALUE))));
        assertThat(data(resolve(h))).contains("1=URL:public").noneMatch(v -> v.startsWith("2="));

        ResolutionRequest asAdmin = new ResolutionRequest(Util.encodeString(h), null, null, auth(Kind.SECKEY));
        asAdmin.ignoreRestrictedValues = false;
        AbstractResponse r = send(asAdmin);
        assertThat(r.responseCode).isEqualTo(1);
        assertThat(data(((ResolutionResponse) r).getHandleValues())).contains("1=URL:public", "2=NOTE:admins only");

        ResolutionRequest asNobody = new ResolutionRequest(Util.encodeString(h), null, null,
                new SecretKeyAuthenticationInfo(Util.encodeString(NOBODY), 301, SECRET));
        asNobody.ignoreRestrictedValues = false;
        assertThat(code(asNobody)).isEqualTo(400);
    }

    @Test
    void nodeAdministratorHomesAndUnhomesPrefixes() throws Exception {
        String prefix = "99.7";
        String h = prefix + "/HOMED";
        // Admin tools send these to a chosen site: the prefix is not resolvable before it is homed.
        assertThat(toSite(new HomeNaRequest(Util.encodeString("0.NA/" + prefix), auth(Kind.SECKEY)))).isEqualTo(400);
        assertThat(toSite(new HomeNaRequest(Util.encodeString("0.NA/" + prefix), auth(Kind.RSA)))).isEqualTo(1);
        assertThat(homed()).contains(PREFIX, prefix);
        assertThat(Files.readAllLines(temp.resolve("data").resolve(Node.HOMED_FILE))).contains(prefix);

        // Homing does not create 0.NA/99.7, so the client cannot find the service by itself: send to the site.
        assertThat(toSite(new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {stock(1, "URL", "homed")}, auth(Kind.RSA)))).isEqualTo(1);
        assertThat(node.store().get(h)).isNotNull();

        assertThat(toSite(new UnhomeNaRequest(Util.encodeString("0.NA/" + prefix), auth(Kind.RSA)))).isEqualTo(1);
        assertThat(homed()).contains(PREFIX).doesNotContain(prefix);
        assertThat(toSite(new ResolutionRequest(Util.encodeString(h), null, null, null))).isEqualTo(301);
    }

    int toSite(AbstractRequest req) throws Exception {
        return resolver.sendRequestToSite(req, StockClients.site(temp.resolve("data"))).responseCode;
    }

    List<String> homed() throws Exception {
        List<String> prefixes = new ArrayList<>();
        resolver.sendRequestToSite(new ListNAsRequest(Util.encodeString(PREFIX_HANDLE), auth(Kind.RSA)),
                StockClients.site(temp.resolve("data")), response -> {
            assertThat(response.responseCode).isEqualTo(1);
            for (byte[] b : ((ListNAsResponse) response).handles) {
                prefixes.add(Util.decodeString(b));
            }
        });
        return prefixes;
    }
}
