package io.idnode.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.http.HandleAuthenticator.ServerProof;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/verifications} (handle-protocol.md §8.1): VERIFY_CHALLENGE over HTTP. With {@code id}, whether
 * {@code signature} (by {@code alg}, of key {@code type}) over {@code nonce ‖ cnonce} proves that identity, judged by
 * the request chain's VERIFY_CHALLENGE exactly as for a native question (§6.4), so both transports get one decision:
 * {@code {"responseCode":1,"id":…,"valid":true|false}}, or the chain's refusal (an identity not kept here: 400 with
 * code 301). With {@code cnonce} and no {@code id}, the node proves itself: its signature over a nonce of its own
 * choosing and the client's {@code cnonce} ({@code serverAlg}, {@code serverSignature}, {@code nonce}).
 */
final class ApiVerifications {
    static final String PATH = "/api/verifications";
    /** Parameters besides the output ones and the scheme's own. */
    static final Set<String> PARAMETERS = Set.of("type", "nonce");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HandleAuthenticator authenticator;
    private final SecureRandom random = new SecureRandom();

    ApiVerifications(HandleAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    static boolean isVerifications(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    CompletableFuture<FullHttpResponse> answer(HttpMethod method, ApiParameters params, HttpExchange exchange)
            throws ApiProblem {
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.POST)) {
            throw new ApiProblem(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseCode.PROTOCOL_ERROR,
                    method + " is not allowed on " + PATH + "; use GET");
        }
        HandleAuthorization asked = HandleAuthorization.ofParameters(params::one);
        if (asked != null && asked.id() == null && asked.cnonce() != null) {
            if (params.has("nonce")) {
                throw ApiProblem.badRequest("the node signs a nonce of its own choosing with your cnonce; send cnonce"
                        + " only");
            }
            byte[] nonce = new byte[HttpSessions.NONCE_BYTES];
            random.nextBytes(nonce);
            ServerProof proof = authenticator.serverProof(nonce, asked.cnonce());
            ObjectNode body = MAPPER.createObjectNode().put("responseCode", ResponseCode.SUCCESS.code())
                    .put("nonce", Base64.getEncoder().encodeToString(nonce))
                    .put("cnonce", Base64.getEncoder().encodeToString(asked.cnonce()))
                    .put("serverAlg", proof.alg()).put("serverSignature", proof.signature());
            return CompletableFuture.completedFuture(json(HttpResponseStatus.OK, body));
        }
        byte[] nonce = nonce(params.one("nonce"));
        if (asked == null || asked.id() == null || nonce == null || asked.cnonce() == null
                || asked.signature() == null) {
            throw ApiProblem.badRequest("a verification needs id (INDEX:HANDLE), nonce, cnonce, signature and alg"
                    + " (type HS_PUBKEY or HS_SECKEY); a proof of the node itself needs cnonce alone");
        }
        return authenticator.ask(asked, nonce, exchange, true).thenApply(reply -> verdict(reply, asked));
    }

    private static FullHttpResponse verdict(Message reply, HandleAuthorization asked) {
        String id = asked.id().index() + ":" + asked.id().handle();
        ResponseCode rc = reply.responseCode();
        if (rc.equals(ResponseCode.SUCCESS) && reply.body() instanceof VerifyChallengeResponse v) {
            return json(HttpResponseStatus.OK, MAPPER.createObjectNode().put("responseCode", rc.code()).put("id", id)
                    .put("valid", v.valid()));
        }
        return json(ApiStatus.of(rc, false, false), MAPPER.createObjectNode().put("responseCode", rc.code())
                .put("id", id).put("message", HandleAuthenticator.message(reply)));
    }

    private static byte[] nonce(String text) throws ApiProblem {
        if (text == null) {
            return null;
        }
        try {
            byte[] nonce = HandleAuthorization.decodeBase64(text);
            if (nonce.length > 0) {
                return nonce;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiProblem.badRequest("parameter 'nonce' must be non-empty base64");
    }

    private static FullHttpResponse json(HttpResponseStatus status, ObjectNode body) {
        return HttpResponses.body(status, HttpResponses.JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
