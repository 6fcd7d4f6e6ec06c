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

    /** True if the envelope has the flag {@code flag} ({@link #ENCRYPTED}, ...). */
    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The version of this message. */
    public ProtocolVersion version() {
        return ProtocolVersion.of(majorVersion, minorVersion);
    }

    /** The highest version the sender speaks. */
    public ProtocolVersion suggestedVersion() {
        return ProtocolVersion.of(suggestedMajor, suggestedMinor);
    }

    /** The same envelope for a packet of a multi-packet message. */
    public Envelope withMessageId(int id) {
        return new Envelope(majorVersion, minorVersion, flags, suggestedMajor, suggestedMinor, sessionId, requestId, id,
                messageLength);
    }

    /**
     * The envelope a reply to this request carries: version min(suggested, {@link ProtocolVersion#CURRENT}),
     * suggesting the current version (§1.2). A suggestion below the request's own version is not taken: the
     * sender speaks the version it wrote, and a lower suggestion (e.g. major 1) would make the reply one that
     * no 2.x decoder reads.
     */
    public Envelope replyEnvelope(int sessionId) {
        ProtocolVersion own = version();
        ProtocolVersion suggested = suggestedVersion();
        ProtocolVersion wanted = suggested.isBefore(own) ? own : suggested;
        ProtocolVersion version = wanted.isBefore(ProtocolVersion.CURRENT) ? wanted : ProtocolVersion.CURRENT;
        return new Envelope(version.major(), version.minor(), 0, ProtocolVersion.CURRENT.major(),
                ProtocolVersion.CURRENT.minor(), sessionId, requestId, 0, 0);
    }

    /** A request envelope at the current version with the given ids. */
    public static Envelope request(int sessionId, int requestId) {
        return request(ProtocolVersion.CURRENT, sessionId, requestId);
    }

    /** A request envelope at {@code version}, suggesting the current version, with the given ids. */
    public static Envelope request(ProtocolVersion version, int sessionId, int requestId) {
        return new Envelope(version.major(), version.minor(), 0, ProtocolVersion.CURRENT.major(),
                ProtocolVersion.CURRENT.minor(), sessionId, requestId, 0, 0);
    }
}
