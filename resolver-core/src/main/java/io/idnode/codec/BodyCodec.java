package io.idnode.codec;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
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

/**
 * Body layouts of handle-protocol.md §3.1, §4 and §6 (and cn-extensions.md §1.1, §3.1), chosen by opCode and
 * responseCode. The reader given to {@link #read} covers exactly the body after the optional RD block.
 */
final class BodyCodec {
    /** Smallest encoded handle value (§5.1): all fixed fields and three empty length-prefixed fields. */
    static final int MIN_VALUE_SIZE = 4 + 4 + 1 + 4 + 1 + 4 + 4 + 4;

    /**
     * The library appends two zero bytes to every SESSION_SETUP request and response body (§6.5; see the
     * vectors session_setup_request_dh and session_setup_response_dh).
     */
    private static final int SESSION_SETUP_PADDING = 2;

    private BodyCodec() {
    }

    // ---------------------------------------------------------------- decoding

    static MessageBody read(MessageHeader h, WireReader r) throws CodecException {
        int rc = h.responseCode().code();
        if (rc == 0) {
            return readRequest(h.opCode(), r);
        }
        if (rc == ResponseCode.SUCCESS.code()) {
            return readSuccess(h.opCode(), r);
        }
        if (rc == ResponseCode.SERVICE_REFERRAL.code() || rc == ResponseCode.PREFIX_REFERRAL.code()) {
            return readReferral(r);
        }
        if (rc == ResponseCode.AUTHENTICATION_NEEDED.code()) {
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
        switch (op.code()) {
            case 1: // RESOLUTION
                return readResolutionRequest(r);
            // GET_SITE_INFO, DELETE_HANDLE, LIST_HANDLES, HOME/UNHOME/LIST_HOMED_PREFIXES, SESSION_TERMINATE,
            // GET_NEXT_TXN_ID, BACKUP_SERVER: a single handle
            case 2, 101, 105, 300, 301, 302, 401, 1000, 1003: {
                String handle = r.handle("handle");
                r.expectEnd("request body");
                return new HandleRequest(handle);
            }
            case 100, 102, 104: { // CREATE_HANDLE, ADD_VALUE, MODIFY_VALUE
                String handle = r.handle("handle");
                List<HandleValue> values = readValues(r);
                r.expectEnd("request body");
                return new ValuesRequest(handle, values);
            }
            case 103: { // REMOVE_VALUE
                String handle = r.handle("handle");
                int[] indexes = r.intList("indexes");
                r.expectEnd("remove value request");
                return new RemoveValuesRequest(handle, indexes);
            }
            case 200: { // CHALLENGE_RESPONSE: the body starts directly with the auth type (§6.2)
                String authType = r.str("auth type");
                String identity = r.handle("identity handle");
                int index = r.i32("identity index");
                byte[] signed = r.bytes("signed response");
                r.expectEnd("challenge answer");
                return new ChallengeAnswer(authType, identity, index, signed);
            }
            case 201: { // VERIFY_CHALLENGE (§6.4)
                String identity = r.handle("identity handle");
                int index = r.i32("identity index");
                byte[] nonce = r.bytes("nonce");
                RequestDigest digest = readDigest(r);
                byte[] signed = r.bytes("signed response");
                r.expectEnd("verify challenge request");
                return new VerifyChallengeRequest(identity, index, nonce, digest, signed);
            }
            case 400: // SESSION_SETUP
                return readSessionSetupRequest(r);
            case 402: { // SESSION_EXCHANGE_KEY
                byte[] key = r.bytes("encrypted session key");
                r.expectEnd("session exchange key");
                return new SessionExchangeKey(key);
            }
            case 2001: { // LOGIN (cn-extensions.md §3.1)
                String identity = r.handle("identity handle");
                int index = r.i32("identity index");
                r.expectEnd("login request");
                return new LoginRequest(identity, index);
            }
            default:
                // Unknown and replication operations must still decode so that the server can answer 5.
                return new OpaqueBody(r.raw(r.remaining(), "body"));
        }
    }

    private static ResolutionRequest readResolutionRequest(WireReader r) throws CodecException {
        String handle = r.handle("handle");
        int[] indexes = r.intList("indexes");
        String[] types = r.strList("types");
        byte[] authString = null;
        // cn-extensions.md §1.1: the SDK appends `bytes authString`; other trailing bytes are ignored.
        if (r.remaining() >= 4 && Codecs.peekU32(r) == r.remaining() - 4L) {
            authString = r.bytes("auth string");
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
        switch (op.code()) {
            case 1: { // RESOLUTION (§4.2)
                String handle = r.handle("handle");
                List<HandleValue> values = readValues(r);
                r.expectEnd("resolution response");
                return new ResolutionResponse(handle, values);
            }
            case 2: { // GET_SITE_INFO: the raw HS_SITE record
                SiteInfoResponse site = new SiteInfoResponse(SiteInfoCodec.read(r));
                r.expectEnd("site info response");
                return site;
            }
            case 100: { // CREATE_HANDLE: optional handle
                String handle = r.hasRemaining() ? r.handle("created handle") : null;
                r.expectEnd("create handle response");
                return new CreateHandleResponse(handle);
            }
            case 105, 302: { // LIST_HANDLES, LIST_HOMED_PREFIXES
                int n = r.count("handle list", Limits.MAX_FIELD_LENGTH, 4);
                List<String> handles = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    handles.add(r.handle("listed handle"));
                }
                r.expectEnd("handle list response");
                return new HandleListResponse(handles);
            }
            case 201: { // VERIFY_CHALLENGE
                int valid = r.u8("verification result");
                r.expectEnd("verify challenge response");
                return new VerifyChallengeResponse((valid & 1) != 0);
            }
            case 400: { // SESSION_SETUP
                int mode = r.u16("key exchange mode");
                byte[] data = r.bytes("session setup data");
                // Like the request, the library's response body has two surplus bytes (ignored).
                return new SessionSetupResponse(mode, data);
            }
            default:
                return r.hasRemaining() ? new OpaqueBody(r.raw(r.remaining(), "body")) : EmptyBody.INSTANCE;
        }
    }

    private static ReferralResponse readReferral(WireReader r) throws CodecException {
        String handle = r.handle("referral handle");
        // §4.3: the value list may be absent entirely.
        List<HandleValue> values = r.hasRemaining() ? readValues(r) : null;
        r.expectEnd("referral response");
        return new ReferralResponse(handle, values);
    }

    private static List<HandleValue> readValues(WireReader r) throws CodecException {
        int n = r.count("values", Limits.MAX_VALUE_COUNT, MIN_VALUE_SIZE);
        List<HandleValue> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(HandleValue.read(r));
        }
        return values;
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
        if (length < 0 || d.digest() == null || d.digest().length != length) {
            throw new IllegalArgumentException("request digest of type " + d.hashType() + " must have "
                    + length + " bytes");
        }
        out.writeByte(d.hashType());
        out.writeBytes(d.digest());
    }

    static void write(MessageBody body, ByteBuf out) {
        if (body instanceof ResolutionRequest b) {
            WireWriter.str(out, b.handle());
            WireWriter.intList(out, b.indexes());
            WireWriter.strList(out, b.types());
            if (b.authString() != null) {
                WireWriter.bytes(out, b.authString());
            }
        } else if (body instanceof ResolutionResponse b) {
            WireWriter.str(out, b.handle());
            writeValues(b.values(), out);
        } else if (body instanceof HandleRequest b) {
            WireWriter.str(out, b.handle());
        } else if (body instanceof ValuesRequest b) {
            WireWriter.str(out, b.handle());
            writeValues(b.values(), out);
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
                writeValues(b.values(), out);
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
            out.writeBytes(b.bytes());
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

    private static void writeValues(List<HandleValue> values, ByteBuf out) {
        if (values instanceof ValueList encoded) {
            out.writeBytes(encoded.wireBytes()); // every value of a record: encoded when it was made
            return;
        }
        out.writeInt(values.size());
        for (HandleValue v : values) {
            out.writeBytes(v.wireArray(), v.wireOffset(), v.wireLength());
        }
    }
}
