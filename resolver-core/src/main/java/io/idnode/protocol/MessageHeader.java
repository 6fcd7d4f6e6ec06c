package io.idnode.protocol;

/**
 * The 24-byte message header (handle-protocol.md §2.1, RFC 3652 §2.2.2). The body length is derived when
 * encoding. {@code siteInfoSerial} is u16 (0xFFFF when sent without a site); {@code expiration} is Unix
 * seconds as u32.
 */
public record MessageHeader(OpCode opCode, ResponseCode responseCode, int opFlags, int siteInfoSerial,
        int recursionCount, long expiration) {

    /**
     * How long after it is made a request or reply expires: the stock client and server write now + 12 hours,
     * and the client rejects a reply that has expired (§2.1).
     */
    public static final int LIFETIME_SECONDS = 43_200;

    /** The siteInfoSerial of a message sent without site information (§2.1). */
    public static final int NO_SITE_SERIAL = 0xFFFF;

    /** True if the header has the flag {@code flag} ({@link OpFlags}). */
    public boolean hasFlag(int flag) {
        return (opFlags & flag) != 0;
    }

    /** True for a response: every response code but {@link ResponseCode#RESERVED}, which requests carry. */
    public boolean isResponse() {
        return !responseCode.equals(ResponseCode.RESERVED);
    }

    /** The same header with other flags. */
    public MessageHeader withFlags(int flags) {
        return new MessageHeader(opCode, responseCode, flags, siteInfoSerial, recursionCount, expiration);
    }
}
