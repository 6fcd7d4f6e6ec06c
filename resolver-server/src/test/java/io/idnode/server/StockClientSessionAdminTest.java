package io.idnode.server;

import static io.idnode.server.StockClientSessionTest.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.StockClientSessionTest.Exchange;
import io.idnode.server.StockClientSessionTest.Relay;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.handle.hdllib.AbstractRequest;
import net.handle.hdllib.AddValueRequest;
import net.handle.hdllib.AuthenticationInfo;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.DeleteHandleRequest;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ModifyValueRequest;
import net.handle.hdllib.RemoveValueRequest;
import net.handle.hdllib.SecretKeyAuthenticationInfo;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The administration scenarios with the client's default session tracker (handle-protocol.md §6.5): the
 * library sets up a session per identity before its first administrative request, answers one challenge in
 * it, and sends the rest on the session MAC alone. A TCP relay in front of the node records the frames, to
 * count challenges, check the MACs and encryption on the wire (§2.3, §6.6) and replay a captured request.
 */
class StockClientSessionAdminTest extends StockClientAdminScenarios {
    Relay relay;

    @Override
    boolean sessions() {
        return true;
    }

    @BeforeAll
    void startRelay() throws Exception {
        relay = new Relay(node.port());
    }

    @AfterAll
    void stopRelay() throws Exception {
        relay.close();
    }

    /** A session-using client whose every TCP request goes through the relay. */
    HandleResolver throughRelay(String name) throws Exception {
        SiteInfo site = StockClients.site(temp.resolve("data"));
        for (Interface i : site.servers[0].interfaces) {
            i.port = relay.port();
        }
        HandleResolver r = StockClients.resolver(site, temp.resolve(name), true, Interface.SP_HDL_TCP);
        // The prefix record's HS_SITE names the node's own port: a local site keeps requests on the relay.
        ((FilesystemConfiguration) r.getConfiguration()).setLocalSites(PREFIX_HANDLE, new SiteInfo[] {site});
        return r;
    }

    /** The relayed exchanges other than the client's prefix and identity lookups. */
    List<Exchange> administration() throws Exception {
        List<Exchange> out = new ArrayList<>();
        for (Exchange e : relay.exchanges) {
            Message m = decode(e.request());
            // An encrypted request (no readable header) is never one of the client's lookups.
            if (m.header() == null || !m.opCode().equals(OpCode.RESOLUTION)) {
                out.add(e);
            }
        }
        return out;
    }

    static int code(HandleResolver r, AbstractRequest req) throws Exception {
        return r.processRequest(req).responseCode;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void oneChallengeAuthenticatesTheSessionForEveryLaterRequest(Kind kind) throws Exception {
        HandleResolver r = throughRelay("once-" + kind);
        String h = PREFIX + "/ONCE-" + kind;
        AuthenticationInfo auth = auth(kind);
        relay.clear();
        assertThat(code(r, new CreateHandleRequest(Util.encodeString(h), new net.handle.hdllib.HandleValue[] {
            stock(1, "URL", "https://example.com/once"), stockAdmin(100, GROUP, 200)}, auth))).isEqualTo(1);
        assertThat(code(r, new AddValueRequest(Util.encodeString(h), stock(2, "EMAIL", "ops@example.com"), auth)))
                .isEqualTo(1);
        assertThat(code(r, new ModifyValueRequest(Util.encodeString(h), stock(1, "URL", "https://example.org/m"),
                auth))).isEqualTo(1);
        assertThat(code(r, new RemoveValueRequest(Util.encodeString(h), 2, auth))).isEqualTo(1);
        assertThat(data(resolve(h))).hasSize(2).contains("1=URL:https://example.org/m").anyMatch(
                v -> v.startsWith("100=HS_ADMIN:"));

        List<Exchange> wire = administration();
        List<String> seen = new ArrayList<>();
        for (Exchange e : wire) {
            seen.add(decode(e.request()).opCode().code() + ">" + decode(e.reply()).responseCode().code());
        }
        // One setup, one challenge and its answer, then each request accepted on its MAC alone.
        assertThat(seen).containsExactly("400>1", "100>402", "200>1", "102>1", "104>1", "103>1");
        int session = decode(wire.get(0).reply()).sessionId();
        assertThat(session).isPositive();
        for (Exchange e : wire.subList(1, wire.size())) {
            Message request = decode(e.request());
            Message reply = decode(e.reply());
            assertThat(request.sessionId()).isEqualTo(session);
            assertThat(reply.sessionId()).isEqualTo(session);
            // The challenge, the reply to the answer and every later reply are the session's (§2.3).
            assertThat(reply.credential().type()).as("reply to %s", request.opCode()).isEqualTo(Credential.TYPE_MAC);
            if (!request.opCode().equals(OpCode.CHALLENGE_RESPONSE)) {
                assertThat(request.credential().type()).isEqualTo(Credential.TYPE_MAC);
            }
        }

        relay.clear();
        assertThat(code(r, new DeleteHandleRequest(Util.encodeString(h), auth))).isEqualTo(1);
        assertThat(administration()).hasSize(1);
        assertNotFound(h);
    }

    @Test
    void createCarryingASecretKeyIsEncryptedByTheClientAndStored() throws Exception {
        HandleResolver r = throughRelay("seckey");
        String h = PREFIX + "/NEW-SECRET";
        byte[] secret = "a fresh secret only admins read".getBytes(StandardCharsets.UTF_8);
        net.handle.hdllib.HandleValue key = new net.handle.hdllib.HandleValue(300,
                Util.encodeString("HS_SECKEY"), secret);
        key.setAnyoneCanRead(false);
        relay.clear();
        assertThat(code(r, new CreateHandleRequest(Util.encodeString(h), new net.handle.hdllib.HandleValue[] {
            stock(1, "URL", "https://example.com/seckey"), key, stockAdmin(100, h, 300)}, auth(Kind.DSA))))
                .isEqualTo(1);

        Exchange create = administration().get(1);
        assertThat(MessageCodec.DEFAULT.decodeEnvelope(create.request(), 0).hasFlag(Envelope.ENCRYPTED))
                .as("the client encrypts a create carrying a value without public read (§6.6)").isTrue();
        assertThat(new String(create.request(), StandardCharsets.ISO_8859_1)).doesNotContain("a fresh secret");
        HandleValue stored = node.store().get(h).values().stream().filter(v -> v.index() == 300).findFirst()
                .orElseThrow();
        assertThat(stored.type()).isEqualTo("HS_SECKEY");
        assertThat(stored.data()).isEqualTo(secret);
        assertThat(stored.isPublicReadable()).isFalse();
        assertThat(data(resolve(h))).contains("1=URL:https://example.com/seckey").noneMatch(v -> v.startsWith("300="));

        // The stored secret works: the new handle administers itself with it, in a session of its own.
        AuthenticationInfo self = new SecretKeyAuthenticationInfo(Util.encodeString(h), 300, secret);
        assertThat(code(r, new AddValueRequest(Util.encodeString(h), stock(2, "EMAIL", "self@example.com"), self)))
                .isEqualTo(1);
        assertThat(data(resolve(h))).contains("2=EMAIL:self@example.com");
    }

    @Test
    void replayedAdminRequestIsRefusedAndChangesNothing() throws Exception {
        HandleResolver r = throughRelay("replay");
        String h = PREFIX + "/REPLAYED";
        AuthenticationInfo auth = auth(Kind.RSA);
        assertThat(code(r, new CreateHandleRequest(Util.encodeString(h), new net.handle.hdllib.HandleValue[] {
            stock(1, "URL", "https://example.com/r"), stock(2, "EMAIL", "first@example.com"),
            stockAdmin(100, GROUP, 200)}, auth))).isEqualTo(1);
        relay.clear();
        assertThat(code(r, new RemoveValueRequest(Util.encodeString(h), 2, auth))).isEqualTo(1);
        byte[] remove = administration().get(0).request();
        assertThat(decode(remove).opCode()).isEqualTo(OpCode.REMOVE_VALUE);
        assertThat(code(r, new AddValueRequest(Util.encodeString(h), stock(2, "EMAIL", "again@example.com"), auth)))
                .isEqualTo(1);

        Message reply = decode(StockClientSessionTest.exchange(node.port(), remove));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SESSION_MESSAGE_REJECTED);
        assertThat(reply.sessionId()).isEqualTo(decode(remove).sessionId());
        assertThat(reply.credential().type()).isEqualTo(Credential.TYPE_MAC);
        assertThat(data(resolve(h))).contains("2=EMAIL:again@example.com");
        assertThat(node.store().get(h).values()).anyMatch(v -> v.index() == 2);

        // The session is intact: the client goes on administering in it, unchallenged.
        relay.clear();
        assertThat(code(r, new ModifyValueRequest(Util.encodeString(h), stock(1, "URL", "https://example.org/r"),
                auth))).isEqualTo(1);
        assertThat(administration()).hasSize(1);
        assertThat(data(resolve(h))).contains("1=URL:https://example.org/r");
    }
}
