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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's sessions (handle-protocol.md §6.5): one per connection of a server's pool
 * ({@link ClientSettings#connectionsPerServer()}), each with its own counter, so that the requests of a session
 * all go over one connection and reach the node in the order they were sealed in, while the connections carry
 * requests side by side. A session request takes the slot with the fewest session requests under way; the
 * slot's session is set up on first need with Diffie-Hellman (mode 4) for the configured identity, and set up
 * again when the server has forgotten it (a node restarted, the session timed out: 500). Concurrent requests
 * of a slot share one setup. Thread-safe.
 */
final class Sessions {
    /** Size of the client's Diffie-Hellman group: the JDK's 2048-bit FFDHE group. */
    private static final int DH_BITS = 2048;

    private final Engine engine;
    private final ConcurrentMap<InetSocketAddress, Slot[]> slots = new ConcurrentHashMap<>();

    Sessions(Engine engine) {
        this.engine = engine;
    }

    /**
     * The slot of {@code ep}'s pool with the fewest session requests under way, counted in for one more: the
     * caller gives it back with {@link #leave} once that request's exchange is over.
     */
    Slot enter(Endpoint ep) {
        Slot[] all = slots.computeIfAbsent(ep.key(), k -> {
            Slot[] made = new Slot[engine.connections.poolSize()];
            for (int i = 0; i < made.length; i++) {
                made[i] = new Slot(i);
            }
            return made;
        });
        Slot best = all[0];
        for (Slot s : all) {
            if (s.active.get() < best.active.get()) {
                best = s;
            }
        }
        best.active.incrementAndGet();
        return best;
    }

    /** A request counted in by {@link #enter} is over. */
    void leave(Slot slot) {
        slot.active.decrementAndGet();
    }

    /** The session of {@code slot} with {@code ep}: the live one, or one being set up for {@code identity}. */
    CompletableFuture<ClientSession> session(Endpoint ep, Slot slot, ValueReference identity) {
        CompletableFuture<ClientSession> made;
        synchronized (slot) {
            if (slot.session != null && !slot.session.isCompletedExceptionally()) {
                return slot.session;
            }
            made = new CompletableFuture<>(); // a failed setup is tried again by the next request
            slot.session = made;
        }
        CompletableFuture<ClientSession> setup;
        try {
            setup = setup(ep, slot.index, identity);
        } catch (RuntimeException e) {
            setup = CompletableFuture.failedFuture(e);
        }
        setup.whenComplete((s, e) -> {
            if (e == null) {
                made.complete(s);
            } else {
                made.completeExceptionally(Engine.unwrap(e));
            }
        });
        return made;
    }

    /** Forgets {@code stale}, the session of {@code slot}, if it is still the current one. */
    void forget(Slot slot, ClientSession stale) {
        synchronized (slot) {
            CompletableFuture<ClientSession> f = slot.session;
            if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() == stale) {
                slot.session = null;
            }
        }
    }

    private CompletableFuture<ClientSession> setup(Endpoint ep, int slot, ValueReference identity) {
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
        Engine.Outgoing out = new Engine.Outgoing(request);
        return engine.sendTcp(ep, slot, out, null, null, engine.requestTimeoutNanos())
                .thenApply(reply -> established(ep, out, reply, dh));
    }

    private ClientSession established(Endpoint ep, Engine.Outgoing out, Message reply, KeyPair dh) {
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
        return new ClientSession(reply.sessionId(), key, version);
    }

    /**
     * One connection slot of a server's pool, as sessions see it: the session bound to it (null until first
     * needed and after the server forgot it) and the session requests under way in it.
     */
    static final class Slot {
        /** Index of the connection in the server's pool ({@link Connections#tcp}). */
        final int index;
        private final AtomicInteger active = new AtomicInteger();
        // Guarded by this.
        private CompletableFuture<ClientSession> session;

        Slot(int index) {
            this.index = index;
        }
    }
}
