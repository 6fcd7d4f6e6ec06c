package io.idnode.handler.session;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.CipherAlgorithm;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeyWrap;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * SESSION_SETUP in mode 3, "key in a handle", as China's industrial SDK uses it for its encrypted transport
 * (cn-extensions.md §4, handle-protocol.md §6.5): the exchange key is the HS_PUBKEY at
 * {@code keyIndex:keyHandle}, an identity kept here (RSA or SM2, any form of §2.2); the node draws a fresh
 * session key, SM4 (16 bytes) for an SM2 key and AES (16 bytes) for an RSA key (the request names no cipher),
 * and answers rc 1 with {@code u16 3} and {@code i32 cipherAlg ‖ key} wrapped to that key
 * ({@link SessionKeyWrap}; unsigned unless CT asks), under the client's session id. The session belongs to the
 * TCP connection ({@link ConnectionEncryption}), not to the node's session table: every later message on that
 * connection, both ways, is encrypted, with no MAC, and it ends with the connection. Mode 3 elsewhere (UDP, no
 * connection), a second setup on an encrypted connection, and a key that is missing, not kept here or of
 * another type are refused (504, 503). Other requests go to {@code next}. Wrapping may block. Thread-safe.
 */
public final class ConnectionKeyLink implements RequestHandler {
    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final Replies replies;
    private final SecureRandom random;
    private final HandleKeyCodec keys;
    private final SessionKeyWrap wrap;
    private final SessionCipher cipher;
    private final RequestHandler next;

    /**
     * Setups whose exchange keys are read from {@code store} for identities in {@code prefixes}, keys drawn from
     * {@code random}, wrapped and used with {@code providers}; other requests go to {@code next}.
     */
    public ConnectionKeyLink(RecordStore store, ServedPrefixes prefixes, Replies replies, SecureRandom random,
            CryptoProviders providers, RequestHandler next) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.random = Objects.requireNonNull(random, "random");
        this.keys = new HandleKeyCodec(providers);
        this.wrap = new SessionKeyWrap(providers);
        this.cipher = new SessionCipher(providers);
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        MessageHeader h = request.header();
        if (h != null && h.opCode().code() == OpCode.SESSION_SETUP.code()
                && request.body() instanceof SessionSetupRequest req
                && req.keyExchangeMode() == SessionSetupRequest.MODE_KEY_IN_HANDLE) {
            setup(request, req, context, out);
        } else {
            next.handle(request, context, out);
        }
    }

    /** Looking the key up and wrapping the session key (an SM2 encryption) may block. */
    @Override
    public boolean mayBlock(OpCode op) {
        return OpCode.SESSION_SETUP.equals(op);
    }

    private void setup(Message request, SessionSetupRequest req, RequestContext context, ReplySink out) {
        if (!(context instanceof LoginConnection connection)) {
            out.reply(refused(request, "key exchange mode 3 (key in a handle) needs a persistent TCP connection;"
                    + " use 4 (Diffie-Hellman)"), null);
            return;
        }
        ConnectionEncryption encryption = connection.encryption();
        if (encryption.active()) {
            out.reply(refused(request, "this connection already has a session key; open a new connection for "
                    + "another"), null);
            return;
        }
        String handle = req.keyHandle();
        if (handle == null || handle.isEmpty()) {
            out.reply(refused(request, "no exchange key named: mode 3 needs the handle and index of an HS_PUBKEY"),
                    null);
            return;
        }
        String named = req.keyIndex() + ":" + handle;
        HandleRecord record = prefixes.holds(handle) ? store.get(handle) : null;
        if (record == null) {
            out.reply(refused(request, "exchange key " + named + " is not kept on this node"), null);
            return;
        }
        PublicKey key = null;
        String why = "no HS_PUBKEY at " + named;
        ResponseCode rc = ResponseCode.INVALID_SESSIONSETUP_REQUEST;
        for (HandleValue v : record.values()) {
            if (!v.hasType(ValueTypes.HS_PUBKEY) || req.keyIndex() != 0 && v.index() != req.keyIndex()) {
                continue;
            }
            try {
                PublicKey candidate = keys.decodePublicKey(v.data());
                SessionKeyWrap.cipherFor(candidate);
                key = candidate;
                break;
            } catch (UnsupportedAlgorithmException e) {
                why = "exchange key " + named + ": " + e.getMessage();
                rc = ResponseCode.NEED_RSAKEY_FOR_SESSIONEXCHANGE;
            } catch (CryptoException e) {
                why = "exchange key " + named + " is unusable: " + e.getMessage();
                rc = ResponseCode.INVALID_SESSIONSETUP_REQUEST;
            }
        }
        if (key == null) {
            out.reply(replies.error(request, rc, why), null);
            return;
        }
        byte[] sessionKey = null;
        try {
            CipherAlgorithm algorithm = SessionKeyWrap.cipherFor(key);
            sessionKey = new byte[algorithm.keyLength()];
            random.nextBytes(sessionKey);
            byte[] wrapped = wrap.wrap(key, algorithm, sessionKey, random);
            Message reply = replies.reply(request, ResponseCode.SUCCESS,
                    new SessionSetupResponse(SessionSetupRequest.MODE_KEY_IN_HANDLE, wrapped));
            ConnectionCipher connectionCipher = new ConnectionCipher(cipher, algorithm, sessionKey, random);
            if (!encryption.start(connectionCipher, () -> out.reply(reply, null))) {
                out.reply(refused(request, "this connection already has a session key; open a new connection "
                        + "for another"), null);
            }
        } catch (CryptoException e) {
            out.reply(refused(request, "exchange key " + named + " cannot wrap a session key: " + e.getMessage()),
                    null);
        } finally {
            if (sessionKey != null) {
                Arrays.fill(sessionKey, (byte) 0);
            }
        }
    }

    private Message refused(Message request, String message) {
        return replies.error(request, ResponseCode.INVALID_SESSIONSETUP_REQUEST, message);
    }
}
