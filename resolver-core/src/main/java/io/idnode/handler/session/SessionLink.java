package io.idnode.handler.session;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.auth.SessionMacKey;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestBytes;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.SessionSeal;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Bytes;
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
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.ResponseCode;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * Sessions (handle-protocol.md §6.5, §6.6), the first link of the chain. A request with sessionId 0 goes
 * straight on (one branch, nothing allocated), except SESSION_SETUP, which is answered here: mode 4
 * (Diffie-Hellman) with AES only, the reply signed with the node key when CT asks; mode 3 (key in a handle),
 * which encrypts one TCP connection rather than opening a session here, goes on to {@link ConnectionKeyLink}.
 * A request with a sessionId is, in this order: decrypted if EC (with the session key); checked for an {@code HS_MAC} credential (none:
 * a challenge answer in a live session is answered in that session, as the stock client sends it; anything
 * else is passed on with no session; unknown or expired session: 500); MAC-verified (502); checked against
 * replayed counters (505); then passed on with the session's {@link RequestContext}, or ended by
 * SESSION_TERMINATE. Every reply in a session (to a verified session message or to a challenge answer) goes
 * out with a {@link SessionSeal}: MAC-signed and, if asked for, encrypted when the edge encodes it. Key
 * agreement and decryption may block. Thread-safe; one instance serves every transport.
 */
public final class SessionLink implements RequestHandler {
    /** The session cipher this node agrees to: AES (§6.5). */
    public static final int CIPHER = SessionKeys.CIPHER_AES;

    private final SessionTable sessions;
    private final Replies replies;
    private final SecureRandom random;
    private final RequestHandler next;
    private final MessageCodec codec = MessageCodec.DEFAULT;
    private final SessionKeys keys;
    private final SessionCipher cipher;
    private final CredentialVerifier verifier;
    private final HandleKeyCodec keyCodec;
    private final JcaEngines jdk;

    /**
     * Sessions kept in {@code sessions}, answered through {@code next}; {@code random} for key agreement,
     * {@code providers} for the session's keys, MACs and cipher.
     */
    public SessionLink(SessionTable sessions, Replies replies, SecureRandom random, RequestHandler next,
            CryptoProviders providers) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.random = Objects.requireNonNull(random, "random");
        this.next = Objects.requireNonNull(next, "next");
        this.keys = new SessionKeys(providers);
        this.cipher = new SessionCipher(providers);
        this.verifier = new CredentialVerifier(providers);
        this.keyCodec = new HandleKeyCodec(providers);
        this.jdk = providers.jdk();
    }

    /** The session table (node-wide). */
    public SessionTable sessions() {
        return sessions;
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (request.sessionId() == 0) {
            MessageHeader h = request.header();
            if (h != null && h.opCode().code() == OpCode.SESSION_SETUP.code() && !keyInHandle(request)) {
                out.reply(setup(request, context.source()), null);
                return;
            }
            next.handle(request, context, out);
            return;
        }
        inSession(request, context, out);
    }

    /** Mode 3 keys a connection, not a node-wide session: {@link ConnectionKeyLink} answers it. */
    private static boolean keyInHandle(Message request) {
        return request.body() instanceof SessionSetupRequest req
                && req.keyExchangeMode() == SessionSetupRequest.MODE_KEY_IN_HANDLE;
    }

    /** Key agreement for a setup, and decryption of an encrypted request whose operation is not known yet. */
    @Override
    public boolean mayBlock(OpCode op) {
        return op == null || op.code() == OpCode.SESSION_SETUP.code();
    }

    private void inSession(Message request, RequestContext context, ReplySink out) {
        Session session = sessions.live(request.sessionId());
        Message msg = request;
        boolean encrypted = request.header() == null;
        if (encrypted) {
            if (session == null) {
                refuse(request, ResponseCode.SESSION_TIMEOUT, "no live session " + request.sessionId(), out);
                return;
            }
            try {
                msg = decrypt(request, session);
            } catch (CodecException e) {
                out.reply(replies.protocolError(request.envelope(), e), null);
                return;
            }
        }
        Credential credential = msg.credential();
        boolean mac = credential != null && Credential.TYPE_MAC.equals(credential.type());
        if (!mac) {
            if (encrypted) {
                refuse(msg, ResponseCode.INVALID_SESSION_KEY, "a session message carries an HS_MAC credential", out);
                return;
            }
            if (session != null && msg.header().opCode().equals(OpCode.CHALLENGE_RESPONSE)) {
                // The stock client answers a challenge in its session without a MAC (§6.5): the signed answer
                // itself is the proof; it may bind the session's identity, and the reply is the session's.
                next.handle(msg, session.context(), new Sealing(session, false, out, jdk));
                return;
            }
            // Not a session message: it gets no session privileges.
            next.handle(msg, context, out);
            return;
        }
        if (session == null) {
            refuse(msg, ResponseCode.SESSION_TIMEOUT, "no live session " + msg.sessionId(), out);
            return;
        }
        if (!macVerifies(msg, credential, session)) {
            refuse(msg, ResponseCode.INVALID_SESSION_KEY, "session MAC does not verify", out);
            return;
        }
        ReplySink sealed = new Sealing(session, encrypted || msg.hasFlag(OpFlags.ENCRYPT), out, jdk);
        if (!session.acceptCounter(credential.sessionCounter())) {
            // The MAC verified, so the refusal belongs to the session and is MAC-signed like any reply in it.
            sealed.reply(replies.error(msg, ResponseCode.SESSION_MESSAGE_REJECTED,
                    "session counter " + credential.sessionCounter() + " already used or too old"), null);
            return;
        }
        sessions.touch(session);
        answerInSession(msg, session, sealed);
    }

    private void refuse(Message request, ResponseCode rc, String message, ReplySink out) {
        out.reply(replies.error(request, rc, message), null);
    }

    private void answerInSession(Message msg, Session session, ReplySink out) {
        int op = msg.header().opCode().code();
        if (op == OpCode.SESSION_TERMINATE.code()) {
            sessions.close(session.id());
            out.reply(replies.reply(msg, ResponseCode.SUCCESS, EmptyBody.INSTANCE), null);
        } else if (op == OpCode.SESSION_SETUP.code() || op == OpCode.SESSION_EXCHANGE_KEY.code()) {
            out.reply(replies.error(msg, ResponseCode.OPERATION_NOT_SUPPORTED,
                    "session options cannot be changed; set up a new session"), null);
        } else {
            next.handle(msg, session.context(), out);
        }
    }

    private Message decrypt(Message request, Session session) throws CodecException {
        if (!ProtocolVersion.fromNumber(session.version()).sessionCipherUsesIv()) {
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY, "encryption needs protocol 2.4 or later");
        }
        byte[] plain;
        try {
            plain = cipher.decrypt(session.key(), ((OpaqueBody) request.body()).bytes().toByteArray());
        } catch (MalformedCryptoInputException e) {
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY, e.getMessage());
        }
        Envelope e = request.envelope();
        Envelope clear = new Envelope(e.majorVersion(), e.minorVersion(), e.flags() & ~Envelope.ENCRYPTED,
                e.suggestedMajor(), e.suggestedMinor(), e.sessionId(), e.requestId(), e.messageId(), plain.length);
        return codec.decodeMessage(clear, plain, 0, plain.length);
    }

    private boolean macVerifies(Message msg, Credential credential, Session session) {
        Envelope e = msg.envelope();
        Bytes headerAndBody = msg.headerAndBody();
        if (headerAndBody != null && SessionMacKey.covers(e.majorVersion(), e.minorVersion(), credential.hashId())) {
            // The hot path: the session's keyed engine over the bytes as received, nothing copied.
            return session.macKey(jdk).verify(e.majorVersion(), e.minorVersion(), e.suggestedMajor(),
                    e.suggestedMinor(), e.sessionId(), e.requestId(), credential.sessionCounter(), headerAndBody,
                    credential.signature());
        }
        try {
            return verifier.verifyMac(credential, session.key(), e, RequestBytes.headerAndBody(msg));
        } catch (CryptoException ex) {
            // An unusable MAC (e.g. an MD5 or unknown hash id) fails like a wrong one.
            return false;
        }
    }

    private Message setup(Message request, InetAddress source) {
        if (!(request.body() instanceof SessionSetupRequest req)) {
            return replies.error(request, ResponseCode.PROTOCOL_ERROR, "session setup request expected");
        }
        if (req.keyExchangeMode() != SessionSetupRequest.MODE_DIFFIE_HELLMAN) {
            return replies.error(request, ResponseCode.INVALID_SESSIONSETUP_REQUEST, "key exchange mode "
                    + req.keyExchangeMode() + " is not supported; use 4 (Diffie-Hellman)");
        }
        Envelope replyEnvelope = request.envelope().replyEnvelope(0);
        if (!replyEnvelope.version().sessionCipherUsesIv()) {
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
                replyEnvelope.minorVersion(), identity, req.timeout(), source);
        if (session == null) {
            return replies.error(request, ResponseCode.SERVER_TOO_BUSY, "too many sessions (in all or from "
                    + (source == null ? "this client" : source.getHostAddress()) + "), try again");
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

    /**
     * Seals each reply in {@code session}: MAC-signed with the next server counter, and encrypted when
     * {@code encryptAll} or (2.8 and later) when it carries values without public read (§6.6).
     */
    private record Sealing(Session session, boolean encryptAll, ReplySink out, JcaEngines jdk) implements ReplySink {
        @Override
        public void reply(Message reply, SessionSeal seal) {
            boolean encrypt = encryptAll || (reply.envelope().version().encryptsRestrictedValues() && carriesRestrictedValues(reply));
            out.reply(reply, new SessionSeal(session.key(), session.nextServerCounter(), encrypt,
                    session.macKey(jdk)));
        }

        @Override
        public void fault(Message request, Throwable cause) {
            out.fault(request, cause);
        }
    }

    /** What the rest of the chain knows of a verified session request (§6.5); one per session. */
    record SessionContext(Session session) implements RequestContext {
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

        @Override
        public InetAddress source() {
            return session.source();
        }
    }
}
