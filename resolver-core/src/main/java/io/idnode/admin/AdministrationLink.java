package io.idnode.admin;

import io.idnode.handler.AuditLog;
import io.idnode.handler.Challenges;
import io.idnode.handler.Outcome;
import io.idnode.handler.PermissionCheck;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.StoreException;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Administration in the request chain (handle-protocol.md §3.1, §4.4, §6): the {@link AdminOperations}
 * answer their requests for a sender whose identity the {@link RequestContext} knows (a session, a
 * connection, an answered challenge); for an unknown sender the checks that need no identity run first,
 * then the request is challenged (402, §6.1). Every outcome, refusals and faults included, goes to the
 * {@link AuditLog}. Administration may block (the write lock, a sync of the store's log); the reply to a
 * mutation comes once its change is durable, possibly from the thread whose sync covered it, and a store that
 * cannot make it durable is answered with 2 (ERROR, §3.2), like any store failure. Thread-safe.
 */
public final class AdministrationLink implements RequestHandler, PermissionCheck {
    private final AdminOperations operations;
    private final Challenges challenges;
    private final Replies replies;
    private final AuditLog audit;
    private final RequestHandler next;

    /** Administration by {@code operations}, challenging through {@code challenges}, auditing to {@code audit}. */
    public AdministrationLink(AdminOperations operations, Challenges challenges, Replies replies, AuditLog audit,
            RequestHandler next) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (!AdminOperations.answers(request.opCode())) {
            next.handle(request, context, out);
            return;
        }
        ValueReference as = context.authenticatedAs();
        try {
            administer(request, as, context, out);
        } catch (RuntimeException e) {
            // The fault itself is answered and logged at the edge; the audit log still sees the attempt.
            audit.record(AuditLog.Entry.of(request, as, Outcome.refused(ResponseCode.ERROR,
                    String.valueOf(e.getMessage()))));
            throw e;
        }
    }

    @Override
    public boolean mayBlock(OpCode op) {
        return op != null && AdminOperations.answers(op);
    }

    @Override
    public Outcome refusal(Message request, ValueReference identity) {
        return AdminOperations.answers(request.opCode()) ? operations.authorize(request, identity) : null;
    }

    private void administer(Message request, ValueReference as, RequestContext context, ReplySink out) {
        if (as == null) {
            Outcome refused = operations.check(request);
            if (refused != null) {
                audit.record(AuditLog.Entry.of(request, null, refused));
                out.reply(replies.reply(request, refused), null);
            } else {
                out.reply(challenges.challenge(request, context), null);
            }
            return;
        }
        operations.execute(request, as, outcome -> {
            if (!outcome.more()) {
                audit.record(AuditLog.Entry.of(request, as, outcome));
            }
            out.reply(replies.reply(request, outcome), null);
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                failed(request, as, failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure, out);
            }
        });
    }

    /**
     * Answers a mutation whose stage failed, on whichever thread that happened: a store that could not make it
     * durable with 2, as {@code StoreFaultLink} answers store failures; anything else as a fault for the edge.
     */
    private void failed(Message request, ValueReference as, Throwable cause, ReplySink out) {
        if (cause instanceof StoreException) {
            audit.record(AuditLog.Entry.of(request, as, Outcome.refused(ResponseCode.ERROR,
                    String.valueOf(cause.getMessage()))));
            out.reply(replies.internalError(request), null);
        } else {
            out.fault(request, cause);
        }
    }
}
