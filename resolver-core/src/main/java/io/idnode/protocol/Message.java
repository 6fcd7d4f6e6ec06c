package io.idnode.protocol;

/**
 * A whole message: envelope, header, optional request-digest block (responses with RD, §2.4), body and
 * optional credential (§2.3). Decoded messages also keep {@code headerAndBody}, the exact header and body
 * bytes as received, which request digests, signatures and MACs are computed over; it is {@code null} for
 * messages built locally. Immutable by convention: arrays must not be modified.
 */
public record Message(Envelope envelope, MessageHeader header, RequestDigest requestDigest, MessageBody body,
        Credential credential, byte[] headerAndBody) {

    /** A message without RD block, credential or raw bytes. */
    public static Message of(Envelope envelope, MessageHeader header, MessageBody body) {
        return new Message(envelope, header, null, body, null, null);
    }

    public OpCode opCode() {
        return header.opCode();
    }

    public ResponseCode responseCode() {
        return header.responseCode();
    }

    public int requestId() {
        return envelope.requestId();
    }

    public int sessionId() {
        return envelope.sessionId();
    }

    public boolean hasFlag(int opFlag) {
        return header.hasFlag(opFlag);
    }

    public Message withCredential(Credential c) {
        return new Message(envelope, header, requestDigest, body, c, headerAndBody);
    }
}
