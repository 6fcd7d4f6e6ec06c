package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.model.SiteInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The operations of the client (handle-protocol.md §3.1, §4): what each sends and what its replies mean. */
final class Ops {
    private Ops() {
    }

    private static boolean is(Message reply, ResponseCode rc) {
        return reply.responseCode().equals(rc);
    }

    /** Resolution (§4.1, §4.2): UDP first unless restricted values are asked for, which needs the identity. */
    static final class Resolve extends Operation<Resolution> {
        private final ResolveRequest request;
        private final List<Endpoint> at;

        /** A resolution at the servers {@code at}, or at those of the handle when null. */
        Resolve(Engine engine, ResolveRequest request, List<Endpoint> at) {
            super(engine, "resolution of " + request.handle(), request.handle());
            this.request = request;
            this.at = at;
        }

        @Override
        List<Endpoint> endpoints() {
            return at;
        }

        /** A lookup at given servers is made for another operation, which tries again itself. */
        @Override
        boolean singleRound() {
            return at != null;
        }

        @Override
        boolean authenticated() {
            return !request.publicOnly();
        }

        @Override
        boolean primaryOnly() {
            return request.authoritative();
        }

        @Override
        boolean viaUdp() {
            return request.publicOnly();
        }

        @Override
        int flags() {
            int f = Requests.DEFAULT_FLAGS;
            f = request.publicOnly() ? f : f & ~OpFlags.PUBLIC_ONLY;
            f = request.certified() ? f | OpFlags.CERTIFY : f;
            return request.authoritative() ? f | OpFlags.AUTHORITATIVE : f;
        }

        @Override
        Message request(Requests base) {
            if (request.indexes().isEmpty() && request.types().isEmpty()) {
                return base.resolution(request.handle());
            }
            int[] indexes = request.indexes().stream().mapToInt(Integer::intValue).toArray();
            return base.resolution(request.handle(), request.types(), indexes);
        }

        @Override
        CompletableFuture<Resolution> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS) && reply.body() instanceof ResolutionResponse r) {
                return CompletableFuture.completedFuture(new Resolution(request.handle(), r.values(),
                        request.certified()));
            }
            if (is(reply, ResponseCode.VALUES_NOT_FOUND)) {
                return CompletableFuture.completedFuture(new Resolution(request.handle(), List.of(),
                        request.certified()));
            }
            ResponseException e = Errors.response(reply, what, request.handle(), ep, engine.settings);
            if (reply.body() instanceof io.idnode.protocol.MessageBody.ReferralResponse r) {
                throw new Referred(e, r);
            }
            throw e;
        }
    }

    /**
     * VERIFY_CHALLENGE (§6.4) at the servers of the identity's handle: whether a challenge answer proves the
     * identity, as its home node says in a reply signed with the key its site publishes.
     */
    static final class VerifyChallenge extends Operation<Boolean> {
        private final io.idnode.model.ValueReference identity;
        private final byte[] nonce;
        private final io.idnode.protocol.RequestDigest digest;
        private final byte[] signedResponse;

        VerifyChallenge(Engine engine, io.idnode.model.ValueReference identity, byte[] nonce,
                io.idnode.protocol.RequestDigest digest, byte[] signedResponse) {
            super(engine, "verification of an answer of " + identity, identity.handle());
            this.identity = identity;
            this.nonce = nonce.clone();
            this.digest = digest;
            this.signedResponse = signedResponse.clone();
        }

        @Override
        int flags() {
            return Requests.DEFAULT_FLAGS | OpFlags.CERTIFY | OpFlags.REQUEST_DIGEST;
        }

        @Override
        Message request(Requests base) {
            return base.verifyChallenge(identity, nonce, digest, signedResponse);
        }

        @Override
        CompletableFuture<Boolean> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS)
                    && reply.body() instanceof io.idnode.protocol.MessageBody.VerifyChallengeResponse v) {
                return CompletableFuture.completedFuture(v.valid());
            }
            throw Errors.response(reply, what, identity.handle(), ep, engine.settings);
        }
    }

    /** A referral (302, 303; §4.3) in answer to a resolution, with the values it carries. */
    static final class Referred extends ResponseException {
        private static final long serialVersionUID = 1L;
        final transient io.idnode.protocol.MessageBody.ReferralResponse referral;

        Referred(ResponseException e, io.idnode.protocol.MessageBody.ReferralResponse referral) {
            super(e.getMessage(), e.responseCode(), e.serverMessage(), e.handle(), e.server());
            this.referral = referral;
        }
    }

    /** GET_SITE_INFO (§3.1) of given servers, or of the configured nodes. */
    static final class GetSiteInfo extends Operation<SiteInfo> {
        private final List<Endpoint> at;

        GetSiteInfo(Engine engine, List<Endpoint> at) {
            super(engine, "site information", null);
            this.at = at;
        }

        @Override
        List<Endpoint> endpoints() {
            return at;
        }

        @Override
        boolean viaUdp() {
            return true;
        }

        @Override
        Message request(Requests base) {
            return base.siteInfo();
        }

        @Override
        CompletableFuture<SiteInfo> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS) && reply.body() instanceof SiteInfoResponse s) {
                return CompletableFuture.completedFuture(s.siteInfo());
            }
            throw Errors.response(reply, what, null, ep, engine.settings);
        }
    }

    /**
     * CREATE_HANDLE (§4.4). A 101 (exists) is read back and compared, value by value with timestamps aside, when
     * identical records are accepted or when an earlier send may have created it: the same values are done, others
     * a conflict. A minted create is not sent again once it may have reached a node.
     */
    static final class Create extends Operation<CreateResult> {
        private final CreateRequest request;

        Create(Engine engine, CreateRequest request) {
            super(engine, (request.mint() ? "minted create under " : "create of ") + request.handle(),
                    request.handle());
            this.request = request;
        }

        @Override
        boolean admin() {
            return true;
        }

        @Override
        int flags() {
            int f = Requests.DEFAULT_FLAGS;
            f = request.ifExists() == IfExists.OVERWRITE ? f | OpFlags.OVERWRITE : f;
            return request.mint() ? f | OpFlags.MINT : f;
        }

        @Override
        boolean encrypt() {
            return restricted(request.values());
        }

        @Override
        boolean retryAfterSend() {
            return !request.mint();
        }

        @Override
        Message request(Requests base) {
            return base.createHandle(request.handle(), request.values());
        }

        @Override
        CompletableFuture<CreateResult> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS)) {
                String made = reply.body() instanceof CreateHandleResponse c && c.handle() != null
                        && !c.handle().isEmpty() ? c.handle() : request.handle();
                return CompletableFuture.completedFuture(new CreateResult(made, true));
            }
            if (is(reply, ResponseCode.HANDLE_ALREADY_EXISTS) && !request.mint()
                    && (request.ifExists() == IfExists.ACCEPT_IDENTICAL || mayHaveApplied())) {
                return readBack(engine, what, request.handle(), request.values(), true, ep,
                        ResponseCode.HANDLE_ALREADY_EXISTS, deadline()).thenApply(v -> new CreateResult(request.handle(), false));
            }
            throw Errors.response(reply, what, request.handle(), ep, engine.settings);
        }
    }

    /** ADD_VALUE, MODIFY_VALUE, REMOVE_VALUE and DELETE_HANDLE (§4.4); a repeat of a lost one counts as done. */
    static final class Change extends Operation<Void> {
        enum Kind { ADD, MODIFY, REMOVE, DELETE }

        private final Kind kind;
        private final String target;
        private final List<HandleValue> values;
        private final int[] indexes;

        Change(Engine engine, Kind kind, String handle, List<HandleValue> values, int[] indexes) {
            super(engine, kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + handle
                    + (kind == Kind.DELETE ? "" : " values"), handle);
            this.kind = kind;
            this.target = Objects.requireNonNull(handle, "handle");
            this.values = List.copyOf(values);
            this.indexes = indexes.clone();
        }

        @Override
        boolean admin() {
            return true;
        }

        @Override
        boolean encrypt() {
            return restricted(values);
        }

        @Override
        Message request(Requests base) {
            return switch (kind) {
                case ADD -> base.addValues(target, values);
                case MODIFY -> base.modifyValues(target, values);
                case REMOVE -> base.removeValues(target, indexes);
                case DELETE -> base.deleteHandle(target);
            };
        }

        @Override
        CompletableFuture<Void> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS)) {
                return CompletableFuture.completedFuture(null);
            }
            if (mayHaveApplied()) {
                if (kind == Kind.REMOVE && is(reply, ResponseCode.VALUES_NOT_FOUND)
                        || kind == Kind.DELETE && is(reply, ResponseCode.HANDLE_NOT_FOUND)) {
                    return CompletableFuture.completedFuture(null); // the lost send did it
                }
                if (kind == Kind.ADD && is(reply, ResponseCode.VALUE_ALREADY_EXISTS)) {
                    return readBack(engine, what, target, values, false, ep, ResponseCode.VALUE_ALREADY_EXISTS, deadline());
                }
            }
            throw Errors.response(reply, what, target, ep, engine.settings);
        }
    }

    /**
     * LIST_HANDLES of a prefix (§3.1): pages arrive as continued replies (CN, §1.4) and go to {@code pages} in
     * order; once one has, the request is not sent again (its pages would come twice).
     */
    static final class ListHandles extends Operation<Long> {
        private final String prefix;
        private final SerialExecutor delivery;
        private final Consumer<? super List<String>> consumer;
        private final AtomicLong count = new AtomicLong();
        private volatile boolean delivered;

        ListHandles(Engine engine, String prefix, Consumer<? super List<String>> consumer) {
            super(engine, "listing of " + prefix, Handles.prefixHandle(prefix));
            this.prefix = prefix;
            this.consumer = consumer;
            this.delivery = new SerialExecutor(engine.settings.callbackExecutor());
        }

        @Override
        boolean admin() {
            return true;
        }

        @Override
        boolean retryAfterSend() {
            return !delivered;
        }

        @Override
        Consumer<Message> pages() {
            return m -> {
                if (m.body() instanceof HandleListResponse page) {
                    deliver(page.handles());
                }
            };
        }

        private void deliver(List<String> page) {
            delivered = true;
            count.addAndGet(page.size());
            delivery.execute(() -> consumer.accept(page));
        }

        @Override
        Message request(Requests base) {
            return base.listHandles(Handles.prefixHandle(prefix));
        }

        @Override
        CompletableFuture<Long> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS) && reply.body() instanceof HandleListResponse page) {
                deliver(page.handles());
                return CompletableFuture.supplyAsync(count::get, delivery);
            }
            throw Errors.response(reply, what, Handles.prefixHandle(prefix), ep, engine.settings);
        }
    }

    /** HOME_NA, UNHOME_NA and LIST_HOMED_NAS (§3.1), sent to the configured nodes. */
    static final class Homing extends Operation<List<String>> {
        enum Kind { HOME, UNHOME, LIST }

        private final Kind kind;
        private final String prefix;

        Homing(Engine engine, Kind kind, String prefix) {
            super(engine, switch (kind) {
                case HOME -> "homing of " + prefix;
                case UNHOME -> "unhoming of " + prefix;
                case LIST -> "listing of the homed prefixes";
            }, null);
            this.kind = kind;
            this.prefix = prefix;
        }

        @Override
        boolean admin() {
            return true;
        }

        @Override
        Message request(Requests base) {
            return switch (kind) {
                case HOME -> base.homePrefix(Handles.prefixHandle(prefix));
                case UNHOME -> base.unhomePrefix(Handles.prefixHandle(prefix));
                case LIST -> base.listHomedPrefixes("/");
            };
        }

        @Override
        CompletableFuture<List<String>> answer(Message reply, Endpoint ep) {
            if (is(reply, ResponseCode.SUCCESS)) {
                return CompletableFuture.completedFuture(reply.body() instanceof HandleListResponse l ? l.handles()
                        : List.of());
            }
            throw Errors.response(reply, what, prefix == null ? null : Handles.prefixHandle(prefix), ep,
                    engine.settings);
        }
    }

    /** Whether a value would be sent encrypted in a session (§6.6: from 2.8, values without public read). */
    private static boolean restricted(List<HandleValue> values) {
        if (!ProtocolVersion.CURRENT.encryptsRestrictedValues()) {
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
     * Reads back {@code handle} (the whole record for a create, the indexes of {@code sent} for an add) and
     * compares it with what was sent, timestamps aside (the node stamps values): the same is done, anything else a
     * {@link ConflictException}. Values restricted to administrators are read as the identity; if it may not
     * read them, the public values are compared.
     */
    static CompletableFuture<Void> readBack(Engine engine, String what, String handle, List<HandleValue> sent,
            boolean wholeRecord, Endpoint ep, ResponseCode code, long deadline) {
        ResolveRequest read = ResolveRequest.of(handle);
        if (!wholeRecord) {
            read = read.withIndexes(sent.stream().mapToInt(HandleValue::index).toArray());
        }
        CompletableFuture<Read> found;
        if (engine.settings.identity().isPresent()) {
            ResolveRequest publicRead = read;
            found = new Resolve(engine, read.withPublicOnly(false), null).startNested(deadline).thenApply(r -> new Read(r, true))
                    .exceptionallyCompose(e -> Engine.unwrap(e) instanceof ResponseException r
                            && (r.responseCode().equals(ResponseCode.INVALID_ADMIN)
                                    || r.responseCode().equals(ResponseCode.INSUFFICIENT_PERMISSIONS))
                            ? new Resolve(engine, publicRead, null).startNested(deadline).thenApply(x -> new Read(x, false))
                            : CompletableFuture.failedFuture(e));
        } else {
            found = new Resolve(engine, read, null).startNested(deadline).thenApply(r -> new Read(r, false));
        }
        return found.thenApply(read2 -> {
            Resolution r = read2.resolution();
            List<HandleValue> expected = read2.restrictedToo() ? sent
                    : sent.stream().filter(HandleValue::isPublicReadable).toList();
            if (sameValues(expected, r.values())) {
                return null;
            }
            throw Errors.conflict(what, handle, ep, code, new ArrayList<>(r.values()));
        });
    }

    /** A record read back, with its restricted values or without. */
    private record Read(Resolution resolution, boolean restrictedToo) {
    }

    /** Whether {@code found} holds exactly the values {@code sent}, in any order, their timestamps aside. */
    static boolean sameValues(List<HandleValue> sent, List<HandleValue> found) {
        if (sent.size() != found.size()) {
            return false;
        }
        for (HandleValue s : sent) {
            HandleValue f = null;
            for (HandleValue candidate : found) {
                if (candidate.index() == s.index()) {
                    f = candidate;
                    break;
                }
            }
            if (f == null || !f.withTimestamp(0).equals(s.withTimestamp(0))) {
                return false;
            }
        }
        return true;
    }
}
