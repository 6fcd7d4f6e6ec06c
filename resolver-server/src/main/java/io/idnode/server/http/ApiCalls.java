package io.idnode.server.http;

import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.transport.RequestMeters;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The API's way into the request chain: a message is answered on the calling event loop, or on the blocking
 * executor when the chain says it may block. A challenge (402) to a request with a {@link Credential} is answered
 * with it, as a client answers (§6.2), so that the chain's own gate checks the secret and the permissions; a
 * challenge left unanswered becomes 401 over HTTPS and 403 over plain HTTP (§8.1). A credential already proven (an
 * authenticated session of the Handle scheme) goes with the request as its context, as a native session's identity
 * does, so the chain does not challenge it and checks its permissions.
 */
final class ApiCalls {
    private final RequestChain chain;
    private final Executor blocking;
    private final ChallengeAnswers answers;
    private final Clock clock;
    private final RequestMeters meters;
    private final SecureRandom random = new SecureRandom();

    ApiCalls(RequestChain chain, Executor blocking, ChallengeAnswers answers, Clock clock, RequestMeters meters) {
        this.chain = chain;
        this.blocking = blocking;
        this.answers = answers;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * The replies to {@code m}, as {@code who} if not null; fails with an {@link ApiProblem} for a refused request.
     * Counted in the node's request meters as one HTTP request with the code of its last reply.
     */
    CompletableFuture<List<Message>> ask(Message m, HttpExchange exchange, Credential who) {
        return counted(m, asked(m, exchange, who));
    }

    private CompletableFuture<List<Message>> asked(Message m, HttpExchange exchange, Credential who) {
        ValueReference proven = who != null && who.proven() ? who.identity() : null;
        return run(m, exchange, proven).thenCompose(replies -> {
            Message reply = replies.get(replies.size() - 1);
            if (!(reply.responseCode().equals(ResponseCode.AUTHENTICATION_NEEDED) && reply.body() instanceof Challenge c)) {
                return CompletableFuture.completedFuture(replies);
            }
            if (!exchange.secure()) {
                return CompletableFuture.failedFuture(new ApiProblem(HttpResponseStatus.FORBIDDEN,
                        ResponseCode.AUTHENTICATION_NEEDED, "this request needs authentication, over HTTPS only"));
            }
            if (who == null || who.proven() || reply.requestDigest() == null) {
                return CompletableFuture.failedFuture(new ApiProblem(HttpResponseStatus.UNAUTHORIZED,
                        ResponseCode.AUTHENTICATION_NEEDED, "this request needs authentication: Basic with"
                                + " INDEX:HANDLE and its secret key, or Authorization: Handle with a session"));
            }
            ProtocolVersion version = reply.envelope().version();
            int v = Math.min(version.number(), reply.envelope().suggestedVersion().number());
            byte[] signed = answers.secretKeyAnswer(who.secret(), c.nonce(), reply.requestDigest().digest(), v, random);
            Message answer = Requests.madeAt(clock.instant()).withVersion(version)
                    .withSiteInfoSerial(MessageHeader.NO_SITE_SERIAL).withSessionId(reply.sessionId())
                    .withRequestId(m.requestId()).challengeAnswer(ValueTypes.HS_SECKEY, who.identity(), signed);
            return run(answer, exchange, null);
        });
    }

    /**
     * The replies to {@code m} from nobody in particular, as the chain gives them (challenges included); counted as
     * an HTTP request if {@code counted}, else a question the API asks on its own behalf.
     */
    CompletableFuture<List<Message>> answer(Message m, HttpExchange exchange, boolean counted) {
        CompletableFuture<List<Message>> replies = run(m, exchange, null);
        return counted ? counted(m, replies) : replies;
    }

    private CompletableFuture<List<Message>> counted(Message m, CompletableFuture<List<Message>> replies) {
        long start = meters.sampleStart(); // one in RequestMeters.SAMPLE timed, as on the event loops of UDP and TCP
        OpCode op = m.opCode();
        return replies.whenComplete((r, failure) -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            ResponseCode code = r != null ? r.get(r.size() - 1).responseCode()
                    : cause instanceof ApiProblem p ? p.code : ResponseCode.ERROR;
            meters.count(op, RequestMeters.Transport.HTTP, code);
            meters.timeSince(op, RequestMeters.Transport.HTTP, start);
        });
    }

    private CompletableFuture<List<Message>> run(Message m, HttpExchange exchange, ValueReference as) {
        SourceContext context = new SourceContext(exchange.remote().getAddress(), as);
        if (!chain.mayBlock(m)) {
            return as == null ? chain.answer(m) : chain.answer(m, context);
        }
        try {
            return CompletableFuture.supplyAsync(() -> chain.answer(m, context), blocking)
                    .thenCompose(f -> f);
        } catch (RejectedExecutionException full) {
            return CompletableFuture.completedFuture(List.of(chain.replies().busy(m)));
        }
    }
}
