package io.idnode.server.http;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.handler.AnswerVerifier;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.Outcome;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Proofs of the {@code Authorization: Handle} scheme (handle-protocol.md §8.1), both ways. A client's proof (its
 * signature or MAC over {@code nonce ‖ cnonce}) is put in the form of a native challenge answer (§6.2: hash id and
 * signature; the secret-key algorithm and MAC, with PBKDF2's salt, iterations and key size) and judged by the
 * chain's {@link AnswerVerifier}, the very code that judges native challenge answers: the identity's keys kept
 * here, or, for an identity kept on another node, that node asked with VERIFY_CHALLENGE (§6.4). One decision for
 * every transport. A question of {@code /api/verifications} is the request chain's VERIFY_CHALLENGE itself, which
 * answers for the identities kept here. The server's proof is made by {@link ChallengeAnswers} with the node key,
 * as the node answers a challenge. Thread-safe.
 */
final class HandleAuthenticator {
    /** The version the server's own proof is made at (§6.2: SHA-256 for RSA and DSA). */
    private static final int SERVER_PROOF_VERSION = 211;

    private final ApiCalls calls;
    private final AnswerVerifier verifier;
    private final Executor blocking;
    private final ChallengeAnswers answers;
    private final NodeIdentity node;
    private final Clock clock;
    private final AtomicInteger requestIds = new AtomicInteger();

    /**
     * Proofs judged by {@code verifier} on {@code blocking} (it may ask another node), questions of
     * {@code /api/verifications} through {@code calls}; the server's proof made by {@code answers} with
     * {@code node}'s key.
     */
    HandleAuthenticator(ApiCalls calls, AnswerVerifier verifier, Executor blocking, ChallengeAnswers answers,
            NodeIdentity node, Clock clock) {
        this.calls = calls;
        this.verifier = verifier;
        this.blocking = blocking;
        this.answers = answers;
        this.node = node;
        this.clock = clock;
    }

    /** The server's signature over {@code nonce ‖ cnonce}: its hash id ({@code serverAlg}) and base64 signature. */
    record ServerProof(String alg, String signature) { }

    /**
     * The identity {@code a} proves for {@code nonce}; fails with a 401 {@link ApiProblem} saying why if it proves
     * none (a wrong signature, an unknown key, an identity kept elsewhere, a missing parameter).
     */
    CompletableFuture<ValueReference> verify(HandleAuthorization a, byte[] nonce, HttpExchange exchange) {
        ValueReference id = a.id();
        ChallengeAnswer answer;
        try {
            answer = new ChallengeAnswer(a.type() == null ? ValueTypes.HS_PUBKEY : a.type(), id.handle(), id.index(),
                    signedResponse(a));
        } catch (ApiProblem p) {
            return CompletableFuture.failedFuture(p);
        }
        CompletableFuture<ValueReference> proved = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    Outcome refusal = verifier.verify(answer, nonce, a.cnonce());
                    if (refusal == null) {
                        proved.complete(id);
                    } else {
                        String why = refusal.body() instanceof ErrorResponse e && !e.message().isEmpty() ? e.message()
                                : refusal.code().toString();
                        proved.completeExceptionally(failed("the answer does not prove " + id + ": " + why));
                    }
                } catch (RuntimeException e) {
                    proved.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException full) {
            proved.completeExceptionally(new ApiProblem(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    ResponseCode.SERVER_TOO_BUSY, "the node is too busy to check a proof now; try again"));
        }
        return proved;
    }

    /**
     * The request chain's VERIFY_CHALLENGE reply on whether {@code a} proves its identity for {@code nonce}; fails
     * with a 401 {@link ApiProblem} if {@code a} lacks what a proof needs. Counted as an HTTP request if
     * {@code counted} (a question of {@code /api/verifications}, not an authentication).
     */
    CompletableFuture<Message> ask(HandleAuthorization a, byte[] nonce, HttpExchange exchange, boolean counted) {
        byte[] signed;
        try {
            signed = signedResponse(a);
        } catch (ApiProblem p) {
            return CompletableFuture.failedFuture(p);
        }
        Message question = Requests.madeAt(clock.instant()).withRequestId(requestIds.incrementAndGet() & 0x7FFF_FFFF)
                .verifyChallenge(a.id(), nonce, new RequestDigest(0, a.cnonce()), signed);
        return calls.answer(question, exchange, counted).thenApply(replies -> replies.get(replies.size() - 1));
    }

    /** The message of an error reply, else its response code. */
    static String message(Message reply) {
        return reply.body() instanceof ErrorResponse e && !e.message().isEmpty() ? e.message()
                : reply.responseCode().toString();
    }

    /** The node's proof of itself over {@code nonce ‖ cnonce} (§8.1), made with its key. */
    ServerProof serverProof(byte[] nonce, byte[] cnonce) throws ApiProblem {
        byte[] answer;
        try {
            answer = answers.signPublicKeyAnswer(node.signingKey(), nonce, cnonce, SERVER_PROOF_VERSION);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpResponseStatus.NOT_IMPLEMENTED, ResponseCode.OPERATION_NOT_SUPPORTED,
                    "this node's key makes no proof of the server: " + e.getMessage());
        }
        try {
            WireReader r = new WireReader(answer);
            String hashId = r.str("hash id");
            return new ServerProof(hashId, Base64.getEncoder().encodeToString(r.bytes("signature")));
        } catch (CodecException e) {
            throw new IllegalStateException("unreadable answer of our own", e);
        }
    }

    /** {@code a} as the signed response of a native answer (§6.2), checked for what it needs. */
    private static byte[] signedResponse(HandleAuthorization a) throws ApiProblem {
        if (a.id() == null || a.signature() == null || a.cnonce() == null || a.cnonce().length == 0) {
            throw failed("authenticating needs id, cnonce and signature (and alg) in Authorization: Handle");
        }
        // Names compared as the reference server does, case and punctuation aside: "HMAC-SHA256" = "hmac_sha256".
        String alg = a.alg() == null ? "" : a.alg().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        ByteBuf out = Unpooled.buffer(64 + a.signature().length);
        try {
            if (a.type() == null || a.type().equals(ValueTypes.HS_PUBKEY)) {
                WireWriter.str(out, switch (alg) {
                    case "", "SHA256", "SHA2" -> "SHA-256";
                    case "SHA1" -> "SHA1";
                    case "MD5" -> "MD5";
                    case "SM3" -> "SM3";
                    default -> throw failed("alg \"" + a.alg() + "\" is not served for HS_PUBKEY; use SHA256, SHA1,"
                            + " MD5 or (SM2 keys) SM3");
                });
                WireWriter.bytes(out, a.signature());
            } else if (alg.equals("HMACSHA256") || alg.equals("HMACSHA1")) {
                // The MAC with the secret as HMAC key over nonce ‖ cnonce: the answer's bare-MAC form.
                out.writeByte(alg.equals("HMACSHA256") ? ChallengeAnswers.SECKEY_HMAC_SHA256
                        : ChallengeAnswers.SECKEY_HMAC_SHA1);
                out.writeBytes(a.signature());
            } else if (alg.equals("PBKDF2HMACSHA1")) {
                if (a.salt() == null) {
                    throw failed("PBKDF2-HMAC-SHA1 needs the salt (and iterations, length in bits)");
                }
                out.writeByte(ChallengeAnswers.SECKEY_PBKDF2);
                WireWriter.bytes(out, a.salt());
                out.writeInt(a.iterations() == null ? ChallengeAnswers.PBKDF2_ITERATIONS : a.iterations());
                out.writeInt(a.length() == null ? ChallengeAnswers.PBKDF2_KEY_BITS : a.length());
                WireWriter.bytes(out, a.signature());
            } else {
                throw failed("alg \"" + a.alg() + "\" is not served for HS_SECKEY; use HMAC-SHA256, HMAC-SHA1, or"
                        + " PBKDF2-HMAC-SHA1 with salt, iterations and length");
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static ApiProblem failed(String message) {
        return new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.AUTHENTICATION_FAILED, message);
    }
}
