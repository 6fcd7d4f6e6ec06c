package io.idnode.codec;

/**
 * Where each field of the 20-byte envelope lies (handle-protocol.md §1.1, RFC 3652 §2.2.1): the one
 * statement of the envelope's layout, used by the codec and by code that reads or patches a frame without
 * decoding it (UDP fragmentation, TCP framing, a load generator).
 */
public final class EnvelopeLayout {
    /** Length of the envelope; the message follows it. */
    public static final int LENGTH = 20;
    /** u8 major version. */
    public static final int MAJOR_VERSION = 0;
    /** u8 minor version. */
    public static final int MINOR_VERSION = 1;
    /** u8: the CP/EC/TC flags (mask 0xE0) and, in the low two bits, the suggested major version. */
    public static final int FLAGS = 2;
    /** u8 suggested minor version. */
    public static final int SUGGESTED_MINOR = 3;
    /** i32 session id. */
    public static final int SESSION_ID = 4;
    /** i32 request id. */
    public static final int REQUEST_ID = 8;
    /** i32 message id: the packet's number within a multi-packet UDP message (§1.3). */
    public static final int MESSAGE_ID = 12;
    /** i32 length of the message that follows the envelope. */
    public static final int MESSAGE_LENGTH = 16;

    private EnvelopeLayout() {
    }
}
