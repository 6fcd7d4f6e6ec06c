package io.idnode.model;

/**
 * An HS_ADMIN value (handle-protocol.md §5.2, RFC 3651 §3.2.2): the permissions granted to the admin
 * identity {@code adminIndex:adminHandle} (index 0 means any index of that handle).
 */
public record AdminValue(int permissions, String adminHandle, int adminIndex) {
    /** Create handles under the prefix (§4.4, §5.2). */
    public static final int ADD_HANDLE = 0x0001;
    /** Delete the handle (§4.4, §5.2). */
    public static final int DELETE_HANDLE = 0x0002;
    /** Create derived prefix handles, "add NA" (§4.4, §5.2). */
    public static final int ADD_DERIVED_PREFIX = 0x0004;
    /** Delete derived prefix handles (§5.2). */
    public static final int DELETE_DERIVED_PREFIX = 0x0008;
    /** Modify values other than HS_ADMIN (§4.4, §5.2). */
    public static final int MODIFY_VALUE = 0x0010;
    /** Remove values other than HS_ADMIN (§4.4, §5.2). */
    public static final int REMOVE_VALUE = 0x0020;
    /** Add values other than HS_ADMIN (§4.4, §5.2). */
    public static final int ADD_VALUE = 0x0040;
    /** Modify HS_ADMIN values (§4.4, §5.2). */
    public static final int MODIFY_ADMIN = 0x0080;
    /** Remove HS_ADMIN values (§4.4, §5.2). */
    public static final int REMOVE_ADMIN = 0x0100;
    /** Add HS_ADMIN values (§4.4, §5.2). */
    public static final int ADD_ADMIN = 0x0200;
    /** Read values without public read (§4.1, §5.2). */
    public static final int READ_VALUE = 0x0400;
    /** List the handles under the prefix (§3.1, §5.2). */
    public static final int LIST_HANDLES = 0x0800;
    /** All twelve permission bits (§5.2). */
    public static final int ALL = 0x0FFF;

    /** True if every bit of {@code permission} is granted. */
    public boolean has(int permission) {
        return (permissions & permission) == permission;
    }

    /** The admin identity, {@code adminIndex:adminHandle}. */
    public ValueReference admin() {
        return new ValueReference(adminHandle, adminIndex);
    }
}
