package io.idnode.handler;

import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/**
 * A protocol result as a value, before it becomes a reply ({@link Replies#reply(io.idnode.protocol.Message,
 * Outcome)}): a reply code and body (handle-protocol.md §3.2); {@code more} marks a page of a multi-message
 * reply (CN, §1.4) that is not the last. Refusals are outcomes, never exceptions.
 */
public record Outcome(ResponseCode code, MessageBody body, boolean more) {
    public Outcome {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(body, "body");
    }

    /** A success with an empty body. */
    public static final Outcome DONE = new Outcome(ResponseCode.SUCCESS, EmptyBody.INSTANCE, false);

    /** A success carrying {@code body}. */
    public static Outcome success(MessageBody body) {
        return new Outcome(ResponseCode.SUCCESS, body, false);
    }

    /** A refusal: {@code code} with an error message. */
    public static Outcome refused(ResponseCode code, String message) {
        return new Outcome(code, new ErrorResponse(message), false);
    }

    /** True for a success (1). */
    public boolean isSuccess() {
        return code.equals(ResponseCode.SUCCESS);
    }

    /** The error message, or "" for a success. */
    public String message() {
        return body instanceof ErrorResponse e ? e.message() : "";
    }
}
