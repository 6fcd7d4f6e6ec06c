package io.idnode.codec;

import io.idnode.model.HandleValue;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.LoginRequest;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SessionExchangeKey;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Body layouts of handle-protocol.md §3.1, §4 and §6 (and cn-extensions.md §1.1, §3.1), chosen by opCode and
 * responseCode. The reader given to {@link #read} covers exactly the body after the optional RD block.
 */
final class BodyCodec {
    /**
     * The library appends two zero bytes to every SESSION_SETUP request and response body (§6.5; see the
     * vectors session_setup_request_dh and session_setup_response_dh).
     */
    private static final int SESSION_SETUP_PADDING = 2;

    /** The requests whose body is a single handle (§3.1). */
    private static final Set<OpCode> HANDLE_REQUESTS = Set.of(OpCode.GET_SITE_INFO, OpCode.DELETE_HANDLE,
            OpCode.LIST_HANDLES, OpCode.HOME_PREFIX, OpCode.UNHOME_PREFIX, OpCode.LIST_HOMED_PREFIXES,
            OpCode.SESSION_TERMINATE, OpCode.GET_NEXT_TXN_ID, OpCode.BACKUP_SERVER);

    private BodyCodec() {
    }

    // ---------------------------------------------------------------- decoding

    static MessageBody read(MessageHeader h, WireReader r) throws CodecException {
        ResponseCode rc = h.responseCode();
        if (rc.equals(ResponseCode.RESERVED)) {
            return readRequest(h.opCode(), r);
        }
        if (rc.equals(ResponseCode.SUCCESS)) {
            return readSuccess(h.opCode(), r);
        }
        if (rc.equals(ResponseCode.SERVICE_REFERRAL) || rc.equals(ResponseCode.PREFIX_REFERRAL)) {
            return readReferral(r);
        }
        if (rc.equals(ResponseCode.AUTHENTICATION_NEEDED)) {
            byte[] nonce = r.bytes("challenge nonce");
            r.expectEnd("challenge");
            return new Challenge(nonce);
        }
        // Every other code carries the error body (§3.2); an empty body is taken as no message.
        String message = r.hasRemaining() ? r.str("error message") : "";
        r.expectEnd("error response");
        return new ErrorResponse(message);
    }

    private static MessageBody readRequest(OpCode op, WireReader r) throws CodecException {
        if (op.equals(OpCode.RESOLUTION)) {
            return readResolutionRequest(r);
        }
        if (HANDLE_REQUESTS.contains(op)) {
            String handle = r.handle("handle");
            r.expectEnd("request body");
            return new HandleRequest(handle);
        }
        if (op.equals(OpCode.CREATE_HANDLE) || op.equals(OpCode.ADD_VALUE) || op.equals(OpCode.MODIFY_VALUE)) {
            String handle = r.handle("handle");
            List<HandleValue> values = ValueCodec.readList(r);
            r.expectEnd("request body");
            return new ValuesRequest(handle, values);
        }
        if (op.equals(OpCode.REMOVE_VALUE)) {
            String handle = r.handle("handle");
            int[] indexes = r.intList("indexes");
            r.expectEnd("remove value request");
            return new RemoveValuesRequest(handle, indexes);
        }
        if (op.equals(OpCode.CHALLENGE_RESPONSE)) { // the body starts directly with the auth type (§6.2)
            String authType = r.str("auth type");
            String identity = r.handle("identity handle");
            int index = r.i32("identity index");
            byte[] signed = r.bytes("signed response");
            r.expectEnd("challenge answer");
            return new ChallengeAnswer(authType, identity, index, signed);
        }
        if (op.equals(OpCode.VERIFY_CHALLENGE)) { // §6.4
            String identity = r.handle("identity handle");
            int index = r.i32("identity index");
            byte[] nonce = r.bytes("nonce");
            RequestDigest digest = readDigest(r);
            byte[] signed = r.bytes("signed response");
            r.expectEnd("verify challenge request");
            return new VerifyChallengeRequest(identity, index, nonce, digest, signed);
        }
        if (op.equals(OpCode.SESSION_SETUP)) {
            return readSessionSetupRequest(r);
        }
        if (op.equals(OpCode.SESSION_EXCHANGE_KEY)) {
            byte[] key = r.bytes("encrypted session key");
            r.expectEnd("session exchange key");
            return new SessionExchangeKey(key);
        }
        if (op.equals(OpCode.LOGIN)) { // cn-extensions.md §3.1
            String identity = r.handle("identity handle");
            int index = r.i32("identity index");
            r.expectEnd("login request");
            return new LoginRequest(identity, index);
        }
        // Unknown and replication operations must still decode so that the server can answer 5.
        return new OpaqueBody(rest(r));
    }

    /** The bytes left in the reader, as a view. */
    private static Bytes rest(WireReader r) throws CodecException {
        int at = r.position();
        int n = r.remaining();
        r.skip(n, "body");
        return Bytes.wrap(r.array(), at, n);
    }

    private static ResolutionRequest readResolutionRequest(WireReader r) throws CodecException {
        String handle = r.handle("handle");
        int[] indexes = r.intList("indexes");
        String[] types = r.strList("types");
        Bytes authString = null;
        // cn-extensions.md §1.1: the SDK appends `bytes authString`; other trailing bytes are ignored.
        if (r.remaining() >= 4 && Codecs.peekU32(r) == r.remaining() - 4L) {
            int length = r.length("auth string", Limits.MAX_FIELD_LENGTH);
            int at = r.position();
            r.skip(length, "auth string");
            authString = Bytes.wrap(r.array(), at, length);
        }
        return new ResolutionRequest(handle, indexes, List.of(types), authString);
    }

    private static SessionSetupRequest readSessionSetupRequest(WireReader r) throws CodecException {
        int mode = r.u16("key exchange mode");
        int timeout = r.i32("session timeout");
        String identity = r.handle("identity handle");
        int identityIndex = r.i32("identity index");
        byte[] exchangeKey = null;
        String keyHandle = null;
        int keyIndex = 0;
        if (mode == SessionSetupRequest.MODE_CLIENT_CIPHER || mode == SessionSetupRequest.MODE_DIFFIE_HELLMAN) {
            exchangeKey = r.bytes("exchange key");
        } else if (mode == SessionSetupRequest.MODE_KEY_IN_HANDLE) {
            keyHandle = r.handle("key handle");
            keyIndex = r.i32("key index");
        }
        // The library's size calculation over-counts by two bytes; servers must ignore whatever follows.
        return new SessionSetupRequest(mode, timeout, identity, identityIndex, exchangeKey, keyHandle, keyIndex);
    }

    private static MessageBody readSuccess(OpCode op, WireReader r) throws CodecException {
        if (op.equals(OpCode.RESOLUTION)) { // §4.2
            String handle = r.handle("handle");
            List<HandleValue> values = ValueCodec.readList(r);
            r.expectEnd("resolution response");
            return new ResolutionResponse(handle, values);
        }
        if (op.equals(OpCode.GET_SITE_INFO)) { // the raw HS_SITE record
            SiteInfoResponse site = new SiteInfoResponse(SiteInfoCodec.read(r));
            r.expectEnd("site info response");
            return site;
        }
        if (op.equals(OpCode.CREATE_HANDLE)) { // optional handle
            String handle = r.hasRemaining() ? r.handle("created handle") : null;
            r.expectEnd("create handle response");
            return new CreateHandleResponse(handle);
        }
        if (op.equals(OpCode.LIST_HANDLES) || op.equals(OpCode.LIST_HOMED_PREFIXES)) {
            int n = r.count("handle list", Limits.MAX_FIELD_LENGTH, 4);
            List<String> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                handles.add(r.handle("listed handle"));
            }
            r.expectEnd("handle list response");
            return new HandleListResponse(handles);
        }
        if (op.equals(OpCode.VERIFY_CHALLENGE)) {
            int valid = r.u8("verification result");
            r.expectEnd("verify challenge response");
            return new VerifyChallengeResponse((valid & 1) != 0);
        }
        if (op.equals(OpCode.SESSION_SETUP)) {
            int mode = r.u16("key exchange mode");
            byte[] data = r.bytes("session setup data");
            // Like the request, the library's response body has two surplus bytes (ignored).
            return new SessionSetupResponse(mode, data);
        }
        return r.hasRemaining() ? new OpaqueBody(rest(r)) : EmptyBody.INSTANCE;
    }

    private static ReferralResponse readReferral(WireReader r) throws CodecException {
        String handle = r.handle("referral handle");
        // §4.3: the value list may be absent entirely.
        List<HandleValue> values = r.hasRemaining() ? ValueCodec.readList(r) : null;
        r.expectEnd("referral response");
        return new ReferralResponse(handle, values);
    }

    /**
     * Reads a request digest: {@code u8 hashType} 1/2/3 and a 16/20/32-byte digest, or, when the first byte
     * is 0, the length-prefixed {@code bytes} form (hash type 0) of §6.4 and of versions below 2.1 (§2.4).
     */
    static RequestDigest readDigest(WireReader r) throws CodecException {
        int type = Codecs.peekU8(r);
        if (type == 0) {
            return new RequestDigest(0, r.bytes("request digest"));
        }
        r.skip(1, "request digest type");
        int length = RequestDigest.digestLength(type);
        if (length < 0) {
            throw new CodecException("unknown request digest type " + type);
        }
        return new RequestDigest(type, r.raw(length, "request digest"));
    }

    // ---------------------------------------------------------------- encoding

    static void writeDigest(RequestDigest d, ByteBuf out) {
        if (d.hashType() == 0) {
            WireWriter.bytes(out, d.digest());
            return;
        }
        int length = RequestDigest.digestLength(d.hashType());
        byte[] digest = d.digest();
        if (length < 0 || digest.length != length) {
            throw new IllegalArgumentException("request digest of type " + d.hashType() + " must have "
                    + length + " bytes");
        }
        out.writeByte(d.hashType());
        out.writeBytes(digest);
    }

    static void write(MessageBody body, ByteBuf out) {
        if (body instanceof ResolutionRequest b) {
            WireWriter.str(out, b.handle());
            WireWriter.intList(out, b.indexes());
            WireWriter.strList(out, b.types());
            if (b.authString() != null) {
                out.writeInt(b.authString().length());
                b.authString().writeTo(out);
            }
        } else if (body instanceof ResolutionResponse b) {
            WireWriter.str(out, b.handle());
            ValueCodec.writeList(b.values(), out);
        } else if (body instanceof HandleRequest b) {
            WireWriter.str(out, b.handle());
        } else if (body instanceof ValuesRequest b) {
            WireWriter.str(out, b.handle());
            ValueCodec.writeList(b.values(), out);
        } else if (body instanceof RemoveValuesRequest b) {
            WireWriter.str(out, b.handle());
            WireWriter.intList(out, b.indexes());
        } else if (body instanceof LoginRequest b) {
            WireWriter.str(out, b.identityHandle());
            out.writeInt(b.identityIndex());
        } else if (body instanceof SiteInfoResponse b) {
            SiteInfoCodec.write(b.siteInfo(), out);
        } else if (body instanceof CreateHandleResponse b) {
            if (b.handle() != null) {
                WireWriter.str(out, b.handle());
            }
        } else if (body instanceof EmptyBody) {
            return;
        } else if (body instanceof HandleListResponse b) {
            WireWriter.strList(out, b.handles());
        } else if (body instanceof ErrorResponse b) {
            WireWriter.str(out, b.message());
        } else if (body instanceof ReferralResponse b) {
            WireWriter.str(out, b.referralHandle());
            if (b.values() != null) {
                ValueCodec.writeList(b.values(), out);
            }
        } else if (body instanceof Challenge b) {
            WireWriter.bytes(out, b.nonce());
        } else if (body instanceof ChallengeAnswer b) {
            WireWriter.str(out, b.authType());
            WireWriter.str(out, b.identityHandle());
            out.writeInt(b.identityIndex());
            WireWriter.bytes(out, b.signedResponse());
        } else if (body instanceof VerifyChallengeRequest b) {
            WireWriter.str(out, b.identityHandle());
            out.writeInt(b.identityIndex());
            WireWriter.bytes(out, b.nonce());
            writeDigest(b.digest(), out);
            WireWriter.bytes(out, b.signedResponse());
        } else if (body instanceof VerifyChallengeResponse b) {
            out.writeByte(b.valid() ? 1 : 0);
        } else if (body instanceof SessionSetupRequest b) {
            writeSessionSetupRequest(b, out);
        } else if (body instanceof SessionSetupResponse b) {
            out.writeShort(b.keyExchangeMode());
            WireWriter.bytes(out, b.data());
            out.writeZero(SESSION_SETUP_PADDING);
        } else if (body instanceof SessionExchangeKey b) {
            WireWriter.bytes(out, b.encryptedSessionKey());
        } else if (body instanceof OpaqueBody b) {
            b.bytes().writeTo(out);
        } else {
            throw new IllegalArgumentException("no layout for body " + body);
        }
    }

    private static void writeSessionSetupRequest(SessionSetupRequest b, ByteBuf out) {
        out.writeShort(b.keyExchangeMode());
        out.writeInt(b.timeout());
        WireWriter.str(out, b.identityHandle());
        out.writeInt(b.identityIndex());
        int mode = b.keyExchangeMode();
        if (mode == SessionSetupRequest.MODE_CLIENT_CIPHER || mode == SessionSetupRequest.MODE_DIFFIE_HELLMAN) {
            WireWriter.bytes(out, b.exchangeKey());
        } else if (mode == SessionSetupRequest.MODE_KEY_IN_HANDLE) {
            WireWriter.str(out, b.keyHandle());
            out.writeInt(b.keyIndex());
        }
        // Written like the library so that our requests are byte-identical to a stock client's.
        out.writeZero(SESSION_SETUP_PADDING);
    }
}
