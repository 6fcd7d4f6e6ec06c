package io.idnode.handler.session;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.SessionSeal;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sessions in front of the request handler (handle-protocol.md §6.5, §6.6), between the transports and the
 * rest of the chain. A request with sessionId 0 goes straight on (one branch), except SESSION_SETUP, which
 * is answered here: mode 4 (Diffie-Hellman) with AES only, the reply signed with the node key when CT asks.
 * A request with a sessionId is, in this order: decrypted if EC (with the session key); checked for an
 * {@code HS_MAC} credential (none: a challenge answer in a live session is answered in that session, as
 * the stock client sends it; anything else is passed on with no session; unknown or expired session: 500);
 * MAC-verified (502); checked against replayed counters (505); then answered with the session's
 * {@link RequestContext}, or ended by SESSION_TERMINATE. Every reply in a session (to a verified session
 * message or to a challenge answer) is MAC-signed and, if asked for, encrypted by the {@link ReplyEncoder}.
 * Thread-safe; one instance serves every transport.
 */
public final class SessionLayer {
    /** The session cipher this node agrees to: AES (§6.5). */
    public static final int CIPHER = SessionKeys.CIPHER_AES;

    /**
     * The rest of the chain: answers a request in the context of its session (or none), handing each reply to
     * {@code out} (several for a listing in pages), as {@link RequestHandler#handle(Message, RequestContext,
     * Consumer)} does.
     */
    @FunctionalInterface
    public interface Next {
        void handle(Message request, RequestContext context, Consumer<Message> out);
    }

    private final RequestHandler replies;
    private final Next next;
    private final ReplyEncoder encoder;
    private final SessionTable sessions;
    private final SecureRandom random;
    private final MessageCodec codec = MessageCodec.DEFAULT;
    private final SessionKeys keys;
    private final SessionCipher cipher;
    private final CredentialVerifier verifier;
    private final HandleKeyCodec keyCodec;

    /**
     * A session layer answering through {@code next}; {@code replies} builds the replies this layer answers
     * itself (setup, errors, terminate) so they carry the node's header fields.
     */
    public SessionLayer(RequestHandler replies, Next next, ReplyEncoder encoder, SessionTable sessions,
            SecureRandom random, CryptoProviders providers) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.random = Objects.requireNonNull(random, "random");
        this.keys = new SessionKeys(providers);
        this.cipher = new SessionCipher(providers);
        this.verifier = new CredentialVerifier(providers);
        this.keyCodec = new HandleKeyCodec(providers);
    }

    /** The session table (node-wide). */
    public SessionTable sessions() {
        return sessions;
    }

    /**
     * True if answering {@code request} may block (the handler's own rule, plus key agreement for a session
     * setup and decryption of an encrypted request, whose operation is not known yet): transports run such
     * requests off their I/O threads.
     */
    public static boolean mayBlock(Message request) {
        MessageHeader h = request.header();
        return h == null || h.opCode().code() == OpCode.SESSION_SETUP.code() || RequestHandler.mayBlock(request);
    }

    /**
     * Answers a decoded request, handing each encoded reply (envelope + message) to {@code out} in order; the
     * receiver releases them. One reply, or several for a listing in pages.
     */
    public void respond(Message request, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
        if (request.sessionId() == 0) {
            MessageHeader h = request.header();
            if (h != null && h.opCode().code() == OpCode.SESSION_SETUP.code()) {
                out.accept(encoder.encode(setup(request), alloc));
                return;
            }
            next.handle(request, RequestContext.NONE, reply -> out.accept(encoder.encode(reply, alloc)));
            return;
        }
        inSession(request, alloc, out);
    }

    /** Answers a request that has exactly one reply (anything but a listing); the caller releases it. */
    public ByteBuf respond(Message request, ByteBufAllocator alloc) {
        List<ByteBuf> frames = new ArrayList<>(1);
        respond(request, alloc, frames::add);
        if (frames.size() != 1) {
            frames.forEach(ByteBuf::release);
            throw new IllegalStateException(frames.size() + " replies to " + request.opCode()
                    + "; use respond(request, alloc, out)");
        }
        return frames.get(0);
    }

    /** The encoded "too busy" reply (3) to a request that cannot be taken on now; the caller releases it. */
    public ByteBuf busy(Message request, ByteBufAllocator alloc) {
        return encoder.encode(replies.busy(request), alloc);
    }

    /** The encoded reply to bytes that could not be decoded (§3.2); the caller releases it. */
    public ByteBuf protocolError(Envelope envelope, CodecException cause, ByteBufAllocator alloc) {
        return encoder.encode(replies.protocolError(envelope, cause), alloc);
    }

    private void inSession(Message request, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
        Session session = sessions.live(request.sessionId());
        Message msg = request;
        boolean encrypted = request.header() == null;
        if (encrypted) {
            if (session == null) {
                out.accept(refuse(request, ResponseCode.SESSION_TIMEOUT, "no live session " + request.sessionId(),
                        alloc));
                return;
            }
            try {
                msg = decrypt(request, session);
            } catch (CodecException e) {
                out.accept(protocolError(request.envelope(), e, alloc));
                return;
            }
        }
        Credential credential = msg.credential();
        boolean mac = credential != null && Credential.TYPE_MAC.equals(credential.type());
        if (!mac) {
            if (encrypted) {
                out.accept(refuse(msg, ResponseCode.INVALID_SESSION_KEY,
                        "a session message carries an HS_MAC credential", alloc));
                return;
            }
            if (session != null && msg.header().opCode().code() == OpCode.CHALLENGE_RESPONSE.code()) {
                // The stock client answers a challenge in its session without a MAC (§6.5): the signed answer
                // itself is the proof; it may bind the session's identity, and the reply is the session's.
                next.handle(msg, new SessionContext(session), sealing(session, false, alloc, out));
                return;
            }
            // Not a session message: it gets no session privileges.
            next.handle(msg, RequestContext.NONE, reply -> out.accept(encoder.encode(reply, alloc)));
            return;
        }
        if (session == null) {
            out.accept(refuse(msg, ResponseCode.SESSION_TIMEOUT, "no live session " + msg.sessionId(), alloc));
            return;
        }
        if (!macVerifies(msg, credential, session)) {
            out.accept(refuse(msg, ResponseCode.INVALID_SESSION_KEY, "session MAC does not verify", alloc));
            return;
        }
        Consumer<Message> sealed = sealing(session, encrypted || msg.hasFlag(OpFlags.ENCRYPT), alloc, out);
        if (!session.acceptCounter(credential.sessionCounter())) {
            // The MAC verified, so the refusal belongs to the session and is MAC-signed like any reply in it.
            sealed.accept(replies.error(msg, ResponseCode.SESSION_MESSAGE_REJECTED,
                    "session counter " + credential.sessionCounter() + " already used or too old"));
            return;
        }
        sessions.touch(session);
        answerInSession(msg, session, sealed);
    }

    /**
     * Encodes each reply in {@code session}: MAC-signed, and encrypted when {@code encryptAll} or (2.8 and
     * later) when it carries values without public read (§6.6).
     */
    private Consumer<Message> sealing(Session session, boolean encryptAll, ByteBufAllocator alloc,
            Consumer<ByteBuf> out) {
        return reply -> {
            boolean encrypt = encryptAll || (reply.envelope().version() >= 208 && carriesRestrictedValues(reply));
            out.accept(encoder.encode(reply, new SessionSeal(session.key(), session.nextServerCounter(), encrypt),
                    alloc));
        };
    }

    private ByteBuf refuse(Message request, ResponseCode rc, String message, ByteBufAllocator alloc) {
        return encoder.encode(replies.error(request, rc, message), alloc);
    }

    private void answerInSession(Message msg, Session session, Consumer<Message> out) {
        int op = msg.header().opCode().code();
        if (op == OpCode.SESSION_TERMINATE.code()) {
            sessions.close(session.id());
            out.accept(replies.reply(msg, ResponseCode.SUCCESS, EmptyBody.INSTANCE));
        } else if (op == OpCode.SESSION_SETUP.code() || op == OpCode.SESSION_EXCHANGE_KEY.code()) {
            out.accept(replies.error(msg, ResponseCode.OPERATION_NOT_SUPPORTED,
                    "session options cannot be changed; set up a new session"));
        } else {
            next.handle(msg, new SessionContext(session), out);
        }
    }

    private Message decrypt(Message request, Session session) throws CodecException {
        if (session.version() < 204) {
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY, "encryption needs protocol 2.4 or later");
        }
        byte[] plain;
        try {
            plain = cipher.decrypt(session.key(), ((OpaqueBody) request.body()).bytes());
        } catch (MalformedCryptoInputException e) {
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY, e.getMessage());
        }
        Envelope e = request.envelope();
        Envelope clear = new Envelope(e.majorVersion(), e.minorVersion(), e.flags() & ~Envelope.ENCRYPTED,
                e.suggestedMajor(), e.suggestedMinor(), e.sessionId(), e.requestId(), e.messageId(), plain.length);
        return codec.decodeMessage(clear, plain, 0, plain.length);
    }

    private boolean macVerifies(Message msg, Credential credential, Session session) {
        try {
            return verifier.verifyMac(credential, session.key(), msg.envelope(), msg.headerAndBody());
        } catch (CryptoException e) {
            // An unusable MAC (e.g. an MD5 or unknown hash id) fails like a wrong one.
            return false;
        }
    }

    private Message setup(Message request) {
        if (!(request.body() instanceof SessionSetupRequest req)) {
            return replies.error(request, ResponseCode.PROTOCOL_ERROR, "session setup request expected");
        }
        if (req.keyExchangeMode() != SessionSetupRequest.MODE_DIFFIE_HELLMAN) {
            return replies.error(request, ResponseCode.INVALID_SESSIONSETUP_REQUEST, "key exchange mode "
                    + req.keyExchangeMode() + " is not supported; use 4 (Diffie-Hellman)");
        }
        Envelope replyEnvelope = request.envelope().replyEnvelope(0);
        if (replyEnvelope.version() < 204) {
            return replies.error(request, ResponseCode.INVALID_SESSIONSETUP_REQUEST,
                    "sessions need protocol 2.4 or later");
        }
        SessionKeys.ServerExchange exchange;
        try {
            if (req.exchangeKey() == null) {
                throw new CodecException("no client DH key");
            }
            exchange = keys.serverExchange(keyCodec.decodePublicKey(req.exchangeKey()), random);
        } catch (CodecException | CryptoException e) {
            return replies.error(request, ResponseCode.INVALID_SESSIONSETUP_REQUEST,
                    "client DH key refused: " + e.getMessage());
        }
        String identityHandle = req.identityHandle();
        ValueReference identity = identityHandle == null || identityHandle.isEmpty() ? null
                : new ValueReference(identityHandle, req.identityIndex());
        Session session = sessions.open(exchange.sessionKey(), replyEnvelope.majorVersion(),
                replyEnvelope.minorVersion(), identity, req.timeout());
        if (session == null) {
            return replies.error(request, ResponseCode.SERVER_TOO_BUSY, "too many sessions");
        }
        byte[] serverKey = keyCodec.encodePublicKey(exchange.serverPublicKey());
        byte[] data = new byte[4 + serverKey.length];
        data[3] = (byte) CIPHER;
        System.arraycopy(serverKey, 0, data, 4, serverKey.length);
        Message reply = replies.reply(request, ResponseCode.SUCCESS,
                new SessionSetupResponse(SessionSetupRequest.MODE_DIFFIE_HELLMAN, data));
        return new Message(request.envelope().replyEnvelope(session.id()), reply.header(), reply.requestDigest(),
                reply.body(), null, null);
    }

    private static boolean carriesRestrictedValues(Message reply) {
        List<HandleValue> values;
        if (reply.body() instanceof ResolutionResponse r) {
            values = r.values();
        } else if (reply.body() instanceof ReferralResponse r) {
            values = r.values();
        } else {
            return false;
        }
        for (HandleValue v : values) {
            if (!v.isPublicReadable()) {
                return true;
            }
        }
        return false;
    }

    /** What the rest of the chain knows of a verified session request (§6.5). */
    private record SessionContext(Session session) implements RequestContext {
        @Override
        public ValueReference authenticatedAs() {
            return session.authenticatedAs();
        }

        @Override
        public void authenticated(ValueReference identity) {
            session.authenticate(identity);
        }

        @Override
        public int sessionId() {
            return session.id();
        }
    }
}
