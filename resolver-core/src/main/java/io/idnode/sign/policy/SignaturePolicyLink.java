package io.idnode.sign.policy;

import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordSource;
import io.idnode.sign.RecordVerifier;
import io.idnode.sign.TrustRoot;
import io.idnode.sign.VerificationReport;
import io.idnode.store.RecordStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Refuses writes that would leave a record under a signature-required prefix without a valid signature
 * ({@link SignaturePolicy}): for CREATE_HANDLE the request's values, for ADD_VALUE, MODIFY_VALUE and
 * REMOVE_VALUE the record as it would be after the change, verified as a whole record (every public value
 * covered, none removed, the chain up to the prefix's roots, certificates read through a
 * {@link RecordSource}). A refusal is 202 INVALID_VALUE with the verifier's reasons, and nothing is written.
 * Everything else passes on unchanged; resolution never pays, since signatures are stored values.
 * Thread-safe.
 */
public final class SignaturePolicyLink implements RequestHandler {
    private static final int MAX_MESSAGE_CHARS = 1000;

    private final SignaturePolicy policy;
    private final RecordStore store;
    private final RecordSource certificates;
    private final JwsEngine engine;
    private final Clock clock;
    private final Replies replies;
    private final RequestHandler next;

    /**
     * A link enforcing {@code policy} on writes to {@code store}, finding certificates in
     * {@code certificates}, checking dates by {@code clock}, passing what it lets through to {@code next}.
     */
    public SignaturePolicyLink(SignaturePolicy policy, RecordStore store, RecordSource certificates,
            JwsEngine engine, Clock clock, Replies replies, RequestHandler next) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        String refusal = refusal(request);
        if (refusal == null) {
            next.handle(request, context, out);
        } else {
            out.reply(replies.error(request, ResponseCode.INVALID_VALUE, refusal), null);
        }
    }

    @Override
    public boolean mayBlock(OpCode op) {
        return op == null || isWrite(op);
    }

    private static boolean isWrite(OpCode op) {
        return op.equals(OpCode.CREATE_HANDLE) || op.equals(OpCode.ADD_VALUE) || op.equals(OpCode.MODIFY_VALUE)
                || op.equals(OpCode.REMOVE_VALUE);
    }

    /** Why {@code request} is refused, or null if it passes. */
    private String refusal(Message request) {
        OpCode op = request.opCode();
        if (!isWrite(op)) {
            return null;
        }
        String handle;
        if (request.body() instanceof ValuesRequest v) {
            handle = v.handle();
        } else if (request.body() instanceof RemoveValuesRequest r) {
            handle = r.handle();
        } else {
            return null;
        }
        List<TrustRoot> roots = policy.rootsFor(handle);
        if (roots == null) {
            return null;
        }
        List<HandleValue> after = after(request, op);
        if (after == null) {
            return null;
        }
        VerificationReport report = new RecordVerifier(engine, roots, certificates, policy.maxChainLength(), clock)
                .verify(handle, after, true);
        if (report.verified()) {
            return null;
        }
        String message = handle + ": records under " + handle.substring(0, handle.indexOf('/'))
                + " must carry a valid signature chained to a trusted root; " + String.join("; ", report.failures());
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }

    /** The record's values after the change, or null when it does not exist (administration answers that). */
    private List<HandleValue> after(Message request, OpCode op) {
        if (op.equals(OpCode.CREATE_HANDLE)) {
            return ((ValuesRequest) request.body()).values();
        }
        String handle = request.body() instanceof ValuesRequest v ? v.handle() : ((RemoveValuesRequest) request.body())
                .handle();
        HandleRecord existing = store.get(handle);
        if (existing == null) {
            return null;
        }
        List<HandleValue> result = new ArrayList<>(existing.values());
        if (request.body() instanceof RemoveValuesRequest r) {
            result.removeIf(v -> Arrays.stream(r.indexes()).anyMatch(i -> i == v.index()));
            return result;
        }
        for (HandleValue v : ((ValuesRequest) request.body()).values()) {
            result.removeIf(old -> old.index() == v.index());
            result.add(v);
        }
        return result;
    }
}
