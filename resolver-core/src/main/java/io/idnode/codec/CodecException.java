package io.idnode.codec;

import io.idnode.protocol.ResponseCode;

/**
 * The one failure of the codec: the bytes are not a well-formed message or value. Carries the response
 * code the edge should answer with ({@link ResponseCode#PROTOCOL_ERROR} unless a more precise code applies,
 * e.g. {@link ResponseCode#INVALID_HANDLE} for a handle that is not UTF-8).
 */
public final class CodecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ResponseCode responseCode;

    /** A malformed input, answered with {@link ResponseCode#PROTOCOL_ERROR}. */
    public CodecException(String message) {
        this(ResponseCode.PROTOCOL_ERROR, message);
    }

    /** A malformed input, answered with {@code responseCode}. */
    public CodecException(ResponseCode responseCode, String message) {
        super(message, null, false, false);
        this.responseCode = responseCode;
    }

    /** The response code a server answers this failure with. */
    public ResponseCode responseCode() {
        return responseCode;
    }
}
