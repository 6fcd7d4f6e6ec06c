package io.idnode.model;

/**
 * The permission bits of a handle value (handle-protocol.md §5.1, RFC 3651 §3.1): who may read and write it.
 * The permissions of administrators over a handle are another thing, in {@link AdminValue}.
 */
public final class ValuePermissions {
    /** Readable by the handle's administrators. */
    public static final int ADMIN_READ = 0x08;
    /** Writable by the handle's administrators. */
    public static final int ADMIN_WRITE = 0x04;
    /** Readable by anyone. */
    public static final int PUBLIC_READ = 0x02;
    /** Writable by anyone. */
    public static final int PUBLIC_WRITE = 0x01;
    /** What a value has unless told otherwise: admin read and write, public read (0x0E). */
    public static final int DEFAULT = ADMIN_READ | ADMIN_WRITE | PUBLIC_READ;

    private ValuePermissions() {
    }
}
