package io.idnode.handler;

import io.idnode.model.ServedPrefixes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/**
 * VERIFY_CHALLENGE (handle-protocol.md §6.4): another node asks whether a challenge answer proves an identity
 * kept here; the reply says so (1 valid, 0 not), signed when asked (CT, as the asking node requires). An
 * identity not kept here is answered 301: this node does not ask further. Checking a signature or a PBKDF2 MAC
 * may block. Thread-safe.
 */
public final class VerifyChallengeLink implements RequestHandler {
    private final AnswerVerifier verifier;
    private final ServedPrefixes prefixes;
    private final Replies replies;
    private final RequestHandler next;

    /**
     * Answers for the identities {@code prefixes} keeps, with {@code verifier}'s {@link AnswerVerifier#verifyHeld};
     * other requests go to {@code next}.
     */
    public VerifyChallengeLink(AnswerVerifier verifier, ServedPrefixes prefixes, Replies replies,
            RequestHandler next) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (request.body() instanceof VerifyChallengeRequest v && request.opCode().equals(OpCode.VERIFY_CHALLENGE)) {
            out.reply(answer(request, v), null);
        } else {
            next.handle(request, context, out);
        }
    }

    @Override
    public boolean mayBlock(OpCode op) {
        return OpCode.VERIFY_CHALLENGE.equals(op);
    }

    private Message answer(Message request, VerifyChallengeRequest v) {
        if (v.identityHandle().isEmpty()) {
            return replies.error(request, ResponseCode.INVALID_HANDLE, "no identity named");
        }
        if (v.nonce().length == 0 || v.digest() == null) {
            return replies.error(request, ResponseCode.PROTOCOL_ERROR, "a verification needs a nonce and a digest");
        }
        if (!prefixes.holds(v.identityHandle())) {
            return replies.error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, "identity " + v.identityHandle()
                    + " is not kept on this node");
        }
        boolean valid = verifier.verifyHeld(v.identityHandle(), v.identityIndex(), v.nonce(), v.digest().digest(),
                v.signedResponse());
        return replies.reply(request, ResponseCode.SUCCESS, new VerifyChallengeResponse(valid));
    }
}
