package io.idnode.client;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.auth.RequestDigests;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The client's session with each server (handle-protocol.md §6.5), set up on first need with Diffie-Hellman
 * (mode 4) for the configured identity, and set up again when the server has forgotten it (a node restarted,
 * the session timed out: 500). Concurrent requests share one setup. Thread-safe.
 */
final class Sessions {
    /** Size of the client's Diffie-Hellman group: the JDK's 2048-bit FFDHE group. */
    private static final int DH_BITS = 2048;

    private final Engine engine;
    private final ConcurrentMap<InetSocketAddress, CompletableFuture<ClientSession>> live = new ConcurrentHashMap<>();

    Sessions(Engine engine) {
        this.engine = engine;
    }

    /** The session with {@code ep}: the live one, or one being set up for {@code identity}. */
    CompletableFuture<ClientSession> session(Endpoint ep, ValueReference identity) {
        CompletableFuture<ClientSession> f = live.computeIfAbsent(ep.key(), k -> setup(ep, identity));
        if (f.isCompletedExceptionally()) {
            live.remove(ep.key(), f); // a failed setup is tried again by the next request
        }
        return f;
    }

    /** Forgets {@code stale}, the session with {@code ep}, if it is still the current one. */
    void forget(Endpoint ep, ClientSession stale) {
        live.computeIfPresent(ep.key(), (k, f) -> f.isDone() && !f.isCompletedExceptionally() && f.join() == stale
                ? null : f);
    }

    private CompletableFuture<ClientSession> setup(Endpoint ep, ValueReference identity) {
        KeyPair dh;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(DH_BITS, engine.random);
            dh = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the JDK has no Diffie-Hellman", e));
        }
        long timeout = Math.min(Integer.MAX_VALUE, engine.settings.sessionTimeout().toSeconds());
        Message request = Requests.madeAt(engine.settings.clock().instant()).withVersion(ep.version())
                .withSiteInfoSerial(MessageHeader.NO_SITE_SERIAL)
                .sessionSetup(identity, (int) timeout, engine.keyCodec.encodePublicKey(dh.getPublic()));
        Engine.Outgoing out = Engine.Outgoing.of(request);
        return engine.sendTcp(ep, out, null, null).thenApply(reply -> established(ep, out, reply, dh, identity));
    }

    private ClientSession established(Endpoint ep, Engine.Outgoing out, Message reply, KeyPair dh,
            ValueReference identity) {
        engine.checkFresh(reply, ep);
        if (!reply.responseCode().equals(ResponseCode.SUCCESS)
                || !(reply.body() instanceof SessionSetupResponse body)) {
            throw Errors.response(reply, "session setup", null, ep, engine.settings);
        }
        if (ep.publicKey() != null) {
            engine.checkSigned(reply, ep);
        }
        if (reply.requestDigest() == null || !RequestDigests.matches(reply.requestDigest(), out.headerAndBody())) {
            throw new InvalidReplyException("the session setup reply of " + ep + " answers another request"
                    + " (its request digest differs)", null);
        }
        byte[] data = body.data();
        if (body.keyExchangeMode() != SessionSetupRequest.MODE_DIFFIE_HELLMAN || data.length < 5) {
            throw new InvalidReplyException("the session setup reply of " + ep + " is not a Diffie-Hellman answer", null);
        }
        int cipher = ByteBuffer.wrap(data).getInt();
        if (cipher != io.idnode.crypto.session.SessionKeys.CIPHER_AES) {
            throw new InvalidReplyException(ep + " chose session cipher " + cipher + "; the client speaks AES (3) only",
                    null);
        }
        byte[] key;
        try {
            PublicKey server = engine.keyCodec.decodePublicKey(Arrays.copyOfRange(data, 4, data.length));
            key = engine.sessionKeys.agree(dh.getPrivate(), server);
        } catch (CryptoException e) {
            throw new InvalidReplyException("the session key of " + ep + " is unusable: " + e.getMessage(), e);
        }
        ProtocolVersion version = reply.envelope().version();
        return new ClientSession(reply.sessionId(), key, version, identity);
    }
}
