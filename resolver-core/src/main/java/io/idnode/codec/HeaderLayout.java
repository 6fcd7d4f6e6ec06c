package io.idnode.codec;

/**
 * Where each field of the 24-byte message header lies, counted from the header's first byte, which follows
 * the envelope (handle-protocol.md §2.1, RFC 3652 §2.2.2): the one statement of the header's layout.
 */
public final class HeaderLayout {
    /** Length of the header; the body follows it. */
    public static final int LENGTH = 24;
    /** i32 operation code (§3.1). */
    public static final int OP_CODE = 0;
    /** i32 response code (§3.2), 0 in requests. */
    public static final int RESPONSE_CODE = 4;
    /** u32 operation flags (§2.2). */
    public static final int OP_FLAGS = 8;
    /** u16 serial of the sender's site information. */
    public static final int SITE_INFO_SERIAL = 12;
    /** u8 recursion count. */
    public static final int RECURSION_COUNT = 14;
    /** u8 reserved, 0. */
    public static final int RESERVED = 15;
    /** u32 expiration, Unix seconds. */
    public static final int EXPIRATION = 16;
    /** u32 length of the body that follows the header. */
    public static final int BODY_LENGTH = 20;

    private HeaderLayout() {
    }
}
