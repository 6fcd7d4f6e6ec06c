package io.idnode.protocol;

/**
 * A whole message: envelope, header, optional request-digest block (responses with RD, §2.4), body and
 * optional credential (§2.3). Decoded messages also keep {@code headerAndBody}, the exact header and body
 * bytes as received (a view of the frame, not a copy), which request digests, signatures and MACs are
 * computed over; it is {@code null} for messages built locally. Immutable.
 */
public record Message(Envelope envelope, MessageHeader header, RequestDigest requestDigest, MessageBody body,
        Credential credential, Bytes headerAndBody) {

    /** A message without RD block, credential or raw bytes. */
    public static Message of(Envelope envelope, MessageHeader header, MessageBody body) {
        return new Message(envelope, header, null, body, null, null);
    }

    /** The header's operation code. */
    public OpCode opCode() {
        return header.opCode();
    }

    /** The header's response code. */
    public ResponseCode responseCode() {
        return header.responseCode();
    }

    /** The envelope's request id. */
    public int requestId() {
        return envelope.requestId();
    }

    /** The envelope's session id. */
    public int sessionId() {
        return envelope.sessionId();
    }

    /** True if the header has the flag {@code opFlag} ({@link OpFlags}). */
    public boolean hasFlag(int opFlag) {
        return header.hasFlag(opFlag);
    }

    /** The same message with credential {@code c}. */
    public Message withCredential(Credential c) {
        return new Message(envelope, header, requestDigest, body, c, headerAndBody);
    }
}
