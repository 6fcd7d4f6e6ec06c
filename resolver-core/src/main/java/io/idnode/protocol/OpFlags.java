package io.idnode.protocol;

/** Bits of the header's opFlag word (handle-protocol.md §2.2, RFC 3652 §2.2.2.3). */
public final class OpFlags {
    /** AT: authoritative. */
    public static final int AUTHORITATIVE = 0x8000_0000;
    /** CT: certify, the response must be signed (§2.3). */
    public static final int CERTIFY = 0x4000_0000;
    /** ENC: encrypt the response with the session key (§6.6). */
    public static final int ENCRYPT = 0x2000_0000;
    /** REC: recursion allowed. */
    public static final int RECURSIVE = 0x1000_0000;
    /** CA: cache-certify. */
    public static final int CACHE_CERTIFY = 0x0800_0000;
    /** CN: continuous, more responses follow on this connection. */
    public static final int CONTINUOUS = 0x0400_0000;
    /** KA: keep-alive. */
    public static final int KEEP_ALIVE = 0x0200_0000;
    /** PO: public values only. */
    public static final int PUBLIC_ONLY = 0x0100_0000;
    /** RD: request digest in the response (§2.4). */
    public static final int REQUEST_DIGEST = 0x0080_0000;
    /** OVRW: overwrite an existing handle/value on create/add. */
    public static final int OVERWRITE = 0x0040_0000;
    /** MINT: the server appends a generated suffix on create. */
    public static final int MINT = 0x0020_0000;
    /** DNRF: do not answer with a prefix referral. */
    public static final int DO_NOT_REFER = 0x0010_0000;
    /** RECURSION_AUTH of the Chinese industrial SDK (cn-extensions.md §6.2). */
    public static final int RECURSION_AUTH = 0x0000_0004;

    /** The request flags a response copies (§9 item 4). */
    public static final int ECHOED = RECURSIVE | CACHE_CERTIFY | PUBLIC_ONLY | CERTIFY | REQUEST_DIGEST;

    private OpFlags() {
    }

    /** True if {@code flags} has {@code bit}. */
    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
