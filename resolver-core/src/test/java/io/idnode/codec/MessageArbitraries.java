package io.idnode.codec;

import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.Attribute;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
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
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of valid messages of every body layout, each paired with the opCode and responseCode that
 * select that layout, so that decode(encode(m)) must give back m.
 */
final class MessageArbitraries {
    private MessageArbitraries() {
    }

    /** A body together with the header codes that make the decoder choose its layout. */
    record Typed(int opCode, int responseCode, MessageBody body) {
    }

    static Arbitrary<String> handles() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("./-_ ÄéЖ中")
                .ofMaxLength(40);
    }

    static Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("é中").ofMaxLength(30);
    }

    static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    static Arbitrary<ValueReference> references() {
        return Combinators.combine(handles(), Arbitraries.integers()).as(ValueReference::new);
    }

    static Arbitrary<HandleValue> values() {
        return Combinators.combine(Arbitraries.integers(), texts(), Arbitraries.integers(),
                Arbitraries.of(HandleValue.TTL_RELATIVE, HandleValue.TTL_ABSOLUTE), Arbitraries.integers(),
                Arbitraries.integers().between(0, 255), bytes(60), references().list().ofMaxSize(2))
                .as((index, type, timestamp, ttlType, ttl, perms, data, refs) -> HandleValue.builder(index, type)
                        .timestamp(timestamp).ttl(ttlType, ttl).permissions(perms).data(data).references(refs)
                        .build());
    }

    static Arbitrary<SiteInfo> sites() {
        Arbitrary<ServiceInterface> interfaces = Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), Arbitraries.integers()).as(ServiceInterface::new);
        Arbitrary<ServerInfo> servers = Combinators.combine(Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofSize(16), bytes(40), interfaces.list().ofMaxSize(3))
                .as(ServerInfo::new);
        Arbitrary<Attribute> attributes = Combinators.combine(texts(), texts()).as(Attribute::new);
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.integers().between(0, 255),
                texts())
                .flatAs((version, major, minor, serial, primary, multi, hash, filter) -> Combinators.combine(
                        attributes.list().ofMaxSize(3), servers.list().ofMaxSize(3))
                        .as((attrs, srvs) -> new SiteInfo(version, major, minor, serial, primary, multi, hash, filter,
                                attrs, srvs)));
    }

    static Arbitrary<RequestDigest> digests() {
        Arbitrary<RequestDigest> fixed = Arbitraries.of(RequestDigest.MD5, RequestDigest.SHA1, RequestDigest.SHA256)
                .flatMap(type -> Arbitraries.bytes().array(byte[].class).ofSize(RequestDigest.digestLength(type))
                        .map(d -> new RequestDigest(type, d)));
        Arbitrary<RequestDigest> prefixed = bytes(40).map(d -> new RequestDigest(0, d));
        return Arbitraries.oneOf(fixed, prefixed);
    }

    static Arbitrary<Credential> credentials() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xFFFF), handles(), Arbitraries.integers(),
                Arbitraries.of(Credential.TYPE_SIGNED, Credential.TYPE_MAC, "", "HS_DSAPUBKEY"),
                Arbitraries.of("SHA-256", "SHA1", "HMAC-SHA256", ""), bytes(80).map(Bytes::wrap))
                .as(Credential::new);
    }

    private static Arbitrary<Typed> on(Arbitrary<Integer> opCodes, int rc, Arbitrary<? extends MessageBody> bodies) {
        return Combinators.combine(opCodes, bodies).as((op, body) -> new Typed(op, rc, body));
    }

    private static Arbitrary<Typed> on(int opCode, int rc, Arbitrary<? extends MessageBody> bodies) {
        return on(Arbitraries.just(opCode), rc, bodies);
    }

    static Arbitrary<Typed> typedBodies() {
        Arbitrary<int[]> ints = Arbitraries.integers().array(int[].class).ofMaxSize(4);
        Arbitrary<List<HandleValue>> valueLists = values().list().ofMaxSize(3);
        List<Arbitrary<Typed>> all = List.of(
                on(1, 0, Combinators.combine(handles(), ints, texts().list().ofMaxSize(3), bytes(20).map(Bytes::wrap).injectNull(0.5))
                        .as(ResolutionRequest::new)),
                on(1, 1, Combinators.combine(handles(), valueLists).as(ResolutionResponse::new)),
                on(Arbitraries.of(2, 101, 105, 300, 301, 302, 401, 1000, 1003), 0, handles().map(HandleRequest::new)),
                on(Arbitraries.of(100, 102, 104), 0, Combinators.combine(handles(), valueLists).as(ValuesRequest::new)),
                on(103, 0, Combinators.combine(handles(), ints).as(RemoveValuesRequest::new)),
                on(2001, 0, Combinators.combine(handles(), Arbitraries.integers()).as(LoginRequest::new)),
                on(2, 1, sites().map(SiteInfoResponse::new)),
                on(100, 1, handles().injectNull(0.3).map(CreateHandleResponse::new)),
                on(Arbitraries.of(101, 102, 103, 104, 200, 300, 301, 401, 402, 1003, 2001), 1,
                        Arbitraries.just(EmptyBody.INSTANCE)),
                on(Arbitraries.of(1000, 1002, 9999), 1, bytes(20).filter(b -> b.length > 0).map(Bytes::wrap).map(OpaqueBody::new)),
                on(Arbitraries.of(105, 302), 1, handles().list().ofMaxSize(4).map(HandleListResponse::new)),
                errorBodies(),
                Combinators.combine(Arbitraries.of(1, 100, 101), Arbitraries.of(302, 303), handles(),
                        valueLists.injectNull(0.4))
                        .as((op, rc, h, vs) -> new Typed(op, rc, new ReferralResponse(h, vs))),
                on(Arbitraries.of(1, 100, 102, 2001), 402, bytes(20).map(Challenge::new)),
                on(200, 0, Combinators.combine(Arbitraries.of("HS_PUBKEY", "HS_SECKEY"), handles(), Arbitraries.integers(),
                        bytes(60)).as(ChallengeAnswer::new)),
                on(201, 0, Combinators.combine(handles(), Arbitraries.integers(), bytes(20), digests(), bytes(40))
                        .as(VerifyChallengeRequest::new)),
                on(201, 1, Arbitraries.of(true, false).map(VerifyChallengeResponse::new)),
                on(400, 0, sessionSetupRequests()),
                on(400, 1, Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), bytes(60))
                        .as(SessionSetupResponse::new)),
                on(402, 0, bytes(60).map(SessionExchangeKey::new)),
                on(Arbitraries.of(0, 1001, 1002, 7777, -5), 0, bytes(40).map(Bytes::wrap).map(OpaqueBody::new)));
        return Arbitraries.oneOf(all);
    }

    private static Arbitrary<Typed> errorBodies() {
        Arbitrary<Integer> codes = Arbitraries.oneOf(Arbitraries.of(2, 3, 4, 5, 6, 7, 100, 101, 102, 200, 201, 202,
                300, 301, 400, 401, 403, 404, 405, 406, 500, 501, 502, 503, 504, 505, 601, 605),
                Arbitraries.integers().filter(c -> c != 0 && c != 1 && c != 302 && c != 303 && c != 402));
        return Combinators.combine(Arbitraries.of(0, 1, 100, 200, 400, 2001), codes, texts())
                .as((op, rc, text) -> new Typed(op, rc, new ErrorResponse(text)));
    }

    private static Arbitrary<SessionSetupRequest> sessionSetupRequests() {
        return Combinators.combine(Arbitraries.of(1, 2, 3, 4, 9), Arbitraries.integers(), handles(),
                Arbitraries.integers(), bytes(60), handles(), Arbitraries.integers())
                .as((mode, timeout, identity, index, key, keyHandle, keyIndex) -> {
                    // The canonical form the decoder produces: only the fields of the mode are set.
                    boolean withKey = mode == 1 || mode == 4;
                    boolean inHandle = mode == 3;
                    return new SessionSetupRequest(mode, timeout, identity, index, withKey ? key : null,
                            inHandle ? keyHandle : null, inHandle ? keyIndex : 0);
                });
    }

    static Arbitrary<Envelope> envelopes() {
        return Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.of(0, Envelope.COMPRESSED, Envelope.TRUNCATED, Envelope.COMPRESSED | Envelope.TRUNCATED),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 255), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.integers())
                .as((minor, flags, sMajor, sMinor, session, request, messageId) -> new Envelope(2, minor, flags, sMajor,
                        sMinor, session, request, messageId, 0));
    }

    /** Whole valid messages; the envelope's messageLength is 0 (the encoder computes it). */
    static Arbitrary<Message> messages() {
        return Combinators.combine(envelopes(), typedBodies(), Arbitraries.integers(),
                Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 255),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL), digests(), credentials().injectNull(0.5))
                .as((env, typed, flags, serial, recursion, expiration, digest, credential) -> {
                    boolean response = typed.responseCode() != 0;
                    int opFlags = response && (flags & 1) != 0 ? flags | OpFlags.REQUEST_DIGEST
                            : response ? flags & ~OpFlags.REQUEST_DIGEST : flags;
                    MessageHeader header = new MessageHeader(OpCode.valueOf(typed.opCode()),
                            ResponseCode.valueOf(typed.responseCode()), opFlags, serial, recursion, expiration);
                    RequestDigest rd = response && (opFlags & OpFlags.REQUEST_DIGEST) != 0 ? digest : null;
                    return new Message(env, header, rd, typed.body(), credential, null);
                });
    }
}
