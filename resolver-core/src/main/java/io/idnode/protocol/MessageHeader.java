package io.idnode.protocol;

/**
 * The 24-byte message header (handle-protocol.md §2.1, RFC 3652 §2.2.2). The body length is derived when
 * encoding. {@code siteInfoSerial} is u16 (0xFFFF when sent without a site); {@code expiration} is Unix
 * seconds as u32.
 */
public record MessageHeader(OpCode opCode, ResponseCode responseCode, int opFlags, int siteInfoSerial,
        int recursionCount, long expiration) {

    public boolean hasFlag(int flag) {
        return (opFlags & flag) != 0;
    }

    public boolean isResponse() {
        return responseCode.code() != 0;
    }

    public MessageHeader withFlags(int flags) {
        return new MessageHeader(opCode, responseCode, flags, siteInfoSerial, recursionCount, expiration);
    }
}
