package io.idnode.protocol;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Builds request messages as a stock client sends them (handle-protocol.md §2.1, §3.1, §4, §6), for clients,
 * tests, benchmarks and fronts that hand the node a message instead of bytes. An instance holds what the
 * envelope and header carry besides the operation: version, ids, flags, site serial, recursion count and
 * expiration. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>
 * Message m = Requests.expiringAt(2_000_000_000L).withRequestId(7).resolution("88.100.1/X", List.of("URL"));
 * </pre>
 */
public final class Requests {
    /** The flags of a stock client's request: recursion allowed, cache-certify, public values only (§2.2). */
    public static final int DEFAULT_FLAGS = OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY;

    /** The handle of requests that concern the server rather than a handle (§3.1). */
    private static final String SERVER_HANDLE = "/";

    private final ProtocolVersion version;
    private final int sessionId;
    private final int requestId;
    private final int opFlags;
    private final int siteInfoSerial;
    private final int recursionCount;
    private final long expiration;

    private Requests(ProtocolVersion version, int sessionId, int requestId, int opFlags, int siteInfoSerial,
            int recursionCount, long expiration) {
        this.version = Objects.requireNonNull(version, "version");
        this.sessionId = sessionId;
        this.requestId = requestId;
        this.opFlags = opFlags;
        this.siteInfoSerial = siteInfoSerial;
        this.recursionCount = recursionCount;
        this.expiration = expiration;
    }

    /**
     * Requests expiring at {@code expiration} (Unix seconds): version 2.11, the stock client's flags, no site
     * ({@link MessageHeader#NO_SITE_SERIAL}), no session, request id 0.
     */
    public static Requests expiringAt(long expiration) {
        if (expiration < 0 || expiration > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("expiration must be a u32 of Unix seconds, got " + expiration);
        }
        return new Requests(ProtocolVersion.CURRENT, 0, 0, DEFAULT_FLAGS, MessageHeader.NO_SITE_SERIAL, 0,
                expiration);
    }

    /** Requests made at {@code now}, expiring {@link MessageHeader#LIFETIME_SECONDS} later, as a stock client's do. */
    public static Requests madeAt(Instant now) {
        return expiringAt(now.getEpochSecond() + MessageHeader.LIFETIME_SECONDS);
    }

    /** These requests with another request id (the client's, echoed by the reply, §1.1). */
    public Requests withRequestId(int id) {
        return new Requests(version, sessionId, id, opFlags, siteInfoSerial, recursionCount, expiration);
    }

    /** These requests in session {@code id}, or answering the challenge of that id (§6). */
    public Requests withSessionId(int id) {
        return new Requests(version, id, requestId, opFlags, siteInfoSerial, recursionCount, expiration);
    }

    /** These requests with other {@link OpFlags}, e.g. {@code DEFAULT_FLAGS | OpFlags.CERTIFY}. */
    public Requests withFlags(int flags) {
        return new Requests(version, sessionId, requestId, flags, siteInfoSerial, recursionCount, expiration);
    }

    /** These requests naming the serial of the site they are sent to (§2.1, §5.3). */
    public Requests withSiteInfoSerial(int serial) {
        if ((serial & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("siteInfoSerial must fit in 16 bits, got " + serial);
        }
        return new Requests(version, sessionId, requestId, opFlags, serial, recursionCount, expiration);
    }

    /** These requests sent at another version, still suggesting the current one (§1.2). */
    public Requests withVersion(ProtocolVersion v) {
        return new Requests(v, sessionId, requestId, opFlags, siteInfoSerial, recursionCount, expiration);
    }

    /** These requests with another recursion count: 1 on a client's own service lookup, +1 per hop (§2.1). */
    public Requests withRecursionCount(int count) {
        if ((count & ~0xFF) != 0) {
            throw new IllegalArgumentException("recursionCount must fit in one byte, got " + count);
        }
        return new Requests(version, sessionId, requestId, opFlags, siteInfoSerial, count, expiration);
    }

    /** Resolution of every value of {@code handle} (§4.1). */
    public Message resolution(String handle) {
        return message(OpCode.RESOLUTION, opFlags, new ResolutionRequest(handle, null, null, null));
    }

    /** Resolution of the values of {@code handle} of the given types or at the given indexes (§4.1). */
    public Message resolution(String handle, List<String> types, int... indexes) {
        return message(OpCode.RESOLUTION, opFlags, new ResolutionRequest(handle, indexes, types, null));
    }

    /** GET_SITE_INFO: the server's site information (§3.1). */
    public Message siteInfo() {
        return handleRequest(OpCode.GET_SITE_INFO, SERVER_HANDLE);
    }

    /** CREATE_HANDLE with its values (§4.4); add {@link OpFlags#MINT} or {@link OpFlags#OVERWRITE} with the flags. */
    public Message createHandle(String handle, List<HandleValue> values) {
        return message(OpCode.CREATE_HANDLE, opFlags, new ValuesRequest(handle, values));
    }

    /** ADD_VALUE (§4.4). */
    public Message addValues(String handle, List<HandleValue> values) {
        return message(OpCode.ADD_VALUE, opFlags, new ValuesRequest(handle, values));
    }

    /** MODIFY_VALUE: the values replace those at the same indexes (§4.4). */
    public Message modifyValues(String handle, List<HandleValue> values) {
        return message(OpCode.MODIFY_VALUE, opFlags, new ValuesRequest(handle, values));
    }

    /** REMOVE_VALUE of the values at {@code indexes} (§4.4). */
    public Message removeValues(String handle, int... indexes) {
        return message(OpCode.REMOVE_VALUE, opFlags, new RemoveValuesRequest(handle, indexes));
    }

    /** DELETE_HANDLE (§4.4). */
    public Message deleteHandle(String handle) {
        return handleRequest(OpCode.DELETE_HANDLE, handle);
    }

    /** LIST_HANDLES under a prefix, named by its prefix handle {@code 0.NA/...} (§3.1). */
    public Message listHandles(String prefixHandle) {
        return handleRequest(OpCode.LIST_HANDLES, prefixHandle);
    }

    /** HOME_PREFIX, named by its prefix handle (§3.1). */
    public Message homePrefix(String prefixHandle) {
        return handleRequest(OpCode.HOME_PREFIX, prefixHandle);
    }

    /** UNHOME_PREFIX, named by its prefix handle (§3.1). */
    public Message unhomePrefix(String prefixHandle) {
        return handleRequest(OpCode.UNHOME_PREFIX, prefixHandle);
    }

    /** LIST_HOMED_PREFIXES; the body names a handle the server ignores (§3.1). */
    public Message listHomedPrefixes(String handle) {
        return handleRequest(OpCode.LIST_HOMED_PREFIXES, handle);
    }

    /**
     * The answer to a challenge (§6.2): {@code authType} {@code HS_PUBKEY} or {@code HS_SECKEY}, the identity,
     * and the signed response. Sent with the challenge's session id ({@link #withSessionId}).
     */
    public Message challengeAnswer(String authType, ValueReference identity, byte[] signedResponse) {
        return message(OpCode.CHALLENGE_RESPONSE, opFlags,
                new ChallengeAnswer(authType, identity.handle(), identity.index(), signedResponse));
    }

    /** VERIFY_CHALLENGE (§6.4), certified and with a request digest, as the library sends it. */
    public Message verifyChallenge(ValueReference identity, byte[] nonce, RequestDigest digest, byte[] signedResponse) {
        return message(OpCode.VERIFY_CHALLENGE, opFlags | OpFlags.CERTIFY | OpFlags.REQUEST_DIGEST,
                new VerifyChallengeRequest(identity.handle(), identity.index(), nonce, digest, signedResponse));
    }

    /**
     * SESSION_SETUP by Diffie-Hellman (mode 4, §6.5) for {@code identity} (null: an anonymous session, sent as
     * identity "" and index -1), with the client's key in the HS_PUBKEY encoding ({@code DH_PUB_KEY}), certified
     * and with a request digest, as the library sends it.
     */
    public Message sessionSetup(ValueReference identity, int timeoutSeconds, byte[] clientKey) {
        return message(OpCode.SESSION_SETUP, opFlags | OpFlags.CERTIFY | OpFlags.REQUEST_DIGEST,
                new SessionSetupRequest(SessionSetupRequest.MODE_DIFFIE_HELLMAN, timeoutSeconds,
                        identity == null ? "" : identity.handle(), identity == null ? -1 : identity.index(), clientKey,
                        null, 0));
    }

    /** SESSION_TERMINATE of the session these requests are in (§3.1, §6.5). */
    public Message sessionTerminate() {
        return handleRequest(OpCode.SESSION_TERMINATE, SERVER_HANDLE);
    }

    private Message handleRequest(OpCode op, String handle) {
        return message(op, opFlags, new HandleRequest(handle));
    }

    private Message message(OpCode op, int flags, MessageBody body) {
        MessageHeader header = new MessageHeader(op, ResponseCode.RESERVED, flags, siteInfoSerial, recursionCount,
                expiration);
        return Message.of(Envelope.request(version, sessionId, requestId), header, body);
    }
}
