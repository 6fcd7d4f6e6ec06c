package io.idnode.handler;

import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Resolution (handle-protocol.md §4.1, §4.2), examined in this order: an empty handle (102); scope, the
 * handle's prefix homed here (else the referral of {@link Delegations} for a prefix derived from one homed here,
 * or 301); the record (else 100); the value selection by index and type, then
 * public-only when PO is set (nothing left: 200). With PO clear, values without public read are returned
 * only to an identity holding READ_VALUE on the record (§4.1): a value readable by nobody is refused (401),
 * an unknown sender is challenged (402, §6.1), an identity without the permission is refused (400).
 * Resolutions never block; the common one reads the store once and allocates only its reply. An authoritative
 * one (AT) is answered once the store has a current record ({@link RecordStore#getLinearizable}). Thread-safe.
 */
public final class ResolutionLink implements RequestHandler, PermissionCheck {
    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final Authorizer authorizer;
    private final Challenges challenges;
    private final Replies replies;
    private final Delegations delegations;
    private final RequestHandler next;

    /** Resolution from {@code store} for the prefixes in {@code prefixes}, reads permitted by {@code authorizer}. */
    public ResolutionLink(RecordStore store, ServedPrefixes prefixes, Authorizer authorizer, Challenges challenges,
            Replies replies, RequestHandler next) {
        this(store, prefixes, authorizer, challenges, replies, null, next);
    }

    /**
     * As {@link #ResolutionLink(RecordStore, ServedPrefixes, Authorizer, Challenges, Replies, RequestHandler)},
     * handles whose prefix is not homed here answered by {@code delegations} (null: 301).
     */
    public ResolutionLink(RecordStore store, ServedPrefixes prefixes, Authorizer authorizer, Challenges challenges,
            Replies replies, Delegations delegations, RequestHandler next) {
        this.delegations = delegations;
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (request.body() instanceof ResolutionRequest req && request.opCode().equals(OpCode.RESOLUTION)) {
            if (request.hasFlag(OpFlags.AUTHORITATIVE)) {
                resolveAuthoritative(request, req, context, out);
            } else {
                out.reply(resolve(request, req, context), null);
            }
        } else {
            next.handle(request, context, out);
        }
    }

    /** Null if {@code identity} may read the restricted values of the record a resolution names, else 400. */
    @Override
    public Outcome refusal(Message request, ValueReference identity) {
        if (!(request.body() instanceof ResolutionRequest req) || !request.opCode().equals(OpCode.RESOLUTION)) {
            return null;
        }
        HandleRecord record = store.get(req.handle());
        if (record != null && !authorizer.permits(identity, record.values(), AdminValue.READ_VALUE)) {
            return mayNotRead(identity, record.handle());
        }
        return null;
    }

    private Message resolve(Message request, ResolutionRequest req, RequestContext context) {
        Message outOfScope = outOfScope(request, req.handle());
        return outOfScope != null ? outOfScope : answer(request, req, context, store.get(req.handle()));
    }

    /**
     * An authoritative resolution (AT): answered from a record no older than any write acknowledged before it
     * ({@link RecordStore#getLinearizable}), possibly later and on another thread; a store that cannot tell in
     * time is answered 2 (ERROR, §3.2), as {@link StoreFaultLink} answers store failures.
     */
    private void resolveAuthoritative(Message request, ResolutionRequest req, RequestContext context, ReplySink out) {
        Message outOfScope = outOfScope(request, req.handle());
        if (outOfScope != null) {
            out.reply(outOfScope, null);
            return;
        }
        store.getLinearizable(req.handle()).whenComplete((record, failure) -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause == null) {
                try {
                    out.reply(answer(request, req, context, record), null);
                } catch (StoreException e) {
                    out.reply(replies.internalError(request), null);
                } catch (RuntimeException e) {
                    out.fault(request, e);
                }
            } else if (cause instanceof StoreException) {
                out.reply(replies.internalError(request), null);
            } else {
                out.fault(request, cause);
            }
        });
    }

    /** The answer to a resolution of a handle this node does not hold (102, a referral, 301), or null. */
    private Message outOfScope(Message request, String handle) {
        if (handle.isEmpty()) {
            return replies.error(request, ResponseCode.INVALID_HANDLE, "empty handle");
        }
        if (!prefixes.covers(handle)) {
            Message referral = delegations == null
                    ? replies.error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix not homed here")
                    : delegations.refer(request, handle);
            if (referral != null) {
                return referral;
            }
        }
        return null;
    }

    /** The answer to a resolution of a handle held here, from its {@code record} (null: none). */
    private Message answer(Message request, ResolutionRequest req, RequestContext context, HandleRecord record) {
        String handle = req.handle();
        if (record == null) {
            return replies.error(request, ResponseCode.HANDLE_NOT_FOUND, "handle not found");
        }
        List<HandleValue> selected = ResolutionFilter.select(record.values(), req.indexes(), req.types());
        if (request.hasFlag(OpFlags.PUBLIC_ONLY)) {
            selected = ResolutionFilter.publicOnly(selected);
        }
        if (selected.isEmpty()) {
            return replies.error(request, ResponseCode.VALUES_NOT_FOUND, "no matching values");
        }
        if (ResolutionFilter.publicOnly(selected) != selected) {
            for (HandleValue v : selected) {
                if (!v.isPublicReadable() && !v.isAdminReadable()) {
                    return replies.error(request, ResponseCode.INSUFFICIENT_PERMISSIONS,
                            "value " + v.index() + " is readable by nobody");
                }
            }
            ValueReference as = context.authenticatedAs();
            if (as == null) {
                return challenges.challenge(request, context);
            }
            if (!authorizer.permits(as, record.values(), AdminValue.READ_VALUE)) {
                return replies.reply(request, mayNotRead(as, handle));
            }
        }
        return replies.reply(request, ResponseCode.SUCCESS, new ResolutionResponse(handle, selected));
    }

    private static Outcome mayNotRead(ValueReference identity, String handle) {
        return Outcome.refused(ResponseCode.INVALID_ADMIN, identity + " may not read the restricted values of "
                + handle);
    }
}
