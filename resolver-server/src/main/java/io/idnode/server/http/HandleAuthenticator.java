package io.idnode.server.http;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.handler.NodeIdentity;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Proofs of the {@code Authorization: Handle} scheme (handle-protocol.md §8.1), both ways. A client's proof (its
 * signature or MAC over {@code nonce ‖ cnonce}) is put in the form of a native challenge answer (§6.2: hash id and
 * signature; PBKDF2 salt, iterations, key size and MAC) and judged by the request chain's VERIFY_CHALLENGE (§6.4),
 * the very code that judges the native challenge answers and other nodes' questions: one decision for every
 * transport. The server's proof is made by {@link ChallengeAnswers} with the node key, as the node answers a
 * challenge. Thread-safe.
 */
final class HandleAuthenticator {
    /** The version the server's own proof is made at (§6.2: SHA-256 for RSA and DSA). */
    private static final int SERVER_PROOF_VERSION = 211;

    private final ApiCalls calls;
    private final ChallengeAnswers answers;
    private final NodeIdentity node;
    private final Clock clock;
    private final AtomicInteger requestIds = new AtomicInteger();

    HandleAuthenticator(ApiCalls calls, ChallengeAnswers answers, NodeIdentity node, Clock clock) {
        this.calls = calls;
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
        return ask(a, nonce, exchange, false).thenCompose(reply -> {
            if (reply.responseCode().equals(ResponseCode.SUCCESS) && reply.body() instanceof VerifyChallengeResponse v) {
                return v.valid() ? CompletableFuture.completedFuture(id)
                        : CompletableFuture.failedFuture(failed("the signature does not prove " + id + " (wrong key,"
                                + " signature, nonce or algorithm)"));
            }
            return CompletableFuture.failedFuture(failed("cannot verify " + id + ": " + message(reply)));
        });
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
        String alg = a.alg() == null ? "" : a.alg().toUpperCase(Locale.ROOT);
        ByteBuf out = Unpooled.buffer(64 + a.signature().length);
        try {
            if (a.type() == null || a.type().equals(ValueTypes.HS_PUBKEY)) {
                WireWriter.str(out, switch (alg) {
                    case "", "SHA256", "SHA-256", "SHA2" -> "SHA-256";
                    case "SHA1", "SHA-1" -> "SHA1";
                    case "MD5" -> "MD5";
                    case "SM3" -> "SM3";
                    default -> throw failed("alg \"" + a.alg() + "\" is not served for HS_PUBKEY; use SHA256, SHA1,"
                            + " MD5 or (SM2 keys) SM3");
                });
                WireWriter.bytes(out, a.signature());
            } else if (alg.equals("PBKDF2-HMAC-SHA1")) {
                if (a.salt() == null) {
                    throw failed("PBKDF2-HMAC-SHA1 needs the salt (and iterations, length in bits)");
                }
                out.writeByte(ChallengeAnswers.SECKEY_PBKDF2);
                WireWriter.bytes(out, a.salt());
                out.writeInt(a.iterations() == null ? ChallengeAnswers.PBKDF2_ITERATIONS : a.iterations());
                out.writeInt(a.length() == null ? ChallengeAnswers.PBKDF2_KEY_BITS : a.length());
                WireWriter.bytes(out, a.signature());
            } else {
                throw failed("alg \"" + a.alg() + "\" is not served for HS_SECKEY; use PBKDF2-HMAC-SHA1 with salt,"
                        + " iterations and length, or Basic authentication");
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
