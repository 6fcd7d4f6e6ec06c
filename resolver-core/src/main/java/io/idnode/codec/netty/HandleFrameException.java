package io.idnode.codec.netty;

import io.idnode.codec.CodecException;
import io.idnode.protocol.ResponseCode;
import io.netty.handler.codec.DecoderException;

/**
 * Raised through the pipeline's {@code exceptionCaught} when a TCP stream does not start with a valid
 * envelope (handle-protocol.md §1.1, §1.4), or when the frame in progress cannot be buffered within the
 * decoder's memory budget. The server answers with {@link #responseCode()} (4, protocol error; 3, server too
 * busy), echoing {@link #requestId()} and {@link #sessionId()} as read from the raw envelope (0 if it was
 * not complete), then closes the connection: the decoder discards everything after the failed frame.
 */
public final class HandleFrameException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final int requestId;
    private final int sessionId;

    /** Wraps the codec failure with the ids found in the raw envelope bytes. */
    public HandleFrameException(CodecException cause, int sessionId, int requestId) {
        super(cause.getMessage(), cause);
        this.sessionId = sessionId;
        this.requestId = requestId;
    }

    /** The codec failure. */
    public CodecException codecException() {
        return (CodecException) getCause();
    }

    /** The response code to answer with. */
    public ResponseCode responseCode() {
        return codecException().responseCode();
    }

    /** The requestId of the rejected envelope (at {@link io.idnode.codec.EnvelopeLayout#REQUEST_ID}). */
    public int requestId() {
        return requestId;
    }

    /** The sessionId of the rejected envelope (at {@link io.idnode.codec.EnvelopeLayout#SESSION_ID}). */
    public int sessionId() {
        return sessionId;
    }
}
