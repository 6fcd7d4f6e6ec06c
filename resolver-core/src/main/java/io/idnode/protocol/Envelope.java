package io.idnode.protocol;

/**
 * The 20-byte message envelope (handle-protocol.md §1.1, RFC 3652 §2.2.1). {@code flags} holds only the
 * CP/EC/TC bits (byte 2 masked with 0xE0); the suggested version lives in byte 2's low bits and byte 3.
 */
public record Envelope(int majorVersion, int minorVersion, int flags, int suggestedMajor, int suggestedMinor,
        int sessionId, int requestId, int messageId, int messageLength) {

    /** CP: compressed (never set by clients). */
    public static final int COMPRESSED = 0x80;
    /** EC: the message is encrypted with the session key. */
    public static final int ENCRYPTED = 0x40;
    /** TC: truncated, the message travels in several UDP datagrams. */
    public static final int TRUNCATED = 0x20;

    /** The highest protocol version this node speaks: 2.11. */
    public static final int MAJOR = 2;
    public static final int MINOR = 11;

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Version as a single comparable number, e.g. 2.11 is 211. */
    public int version() {
        return majorVersion * 100 + minorVersion;
    }

    /** Suggested version as a comparable number. */
    public int suggestedVersion() {
        return suggestedMajor * 100 + suggestedMinor;
    }

    /** The same envelope for a packet of a multi-packet message. */
    public Envelope withMessageId(int id) {
        return new Envelope(majorVersion, minorVersion, flags, suggestedMajor, suggestedMinor, sessionId, requestId, id,
                messageLength);
    }

    /** The envelope a reply to this request carries: version min(suggested, 2.11), suggesting 2.11 (§1.2). */
    public Envelope replyEnvelope(int sessionId) {
        int major = MAJOR;
        int minor = MINOR;
        if (suggestedVersion() < MAJOR * 100 + MINOR) {
            major = suggestedMajor;
            minor = suggestedMinor;
        }
        return new Envelope(major, minor, 0, MAJOR, MINOR, sessionId, requestId, 0, 0);
    }

    /** A request envelope at 2.11 with the given ids. */
    public static Envelope request(int sessionId, int requestId) {
        return new Envelope(MAJOR, MINOR, 0, MAJOR, MINOR, sessionId, requestId, 0, 0);
    }
}
