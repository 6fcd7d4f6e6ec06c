package io.idnode.model;

/**
 * An HS_ADMIN value (handle-protocol.md §5.2, RFC 3651 §3.2.2): the permissions granted to the admin
 * identity {@code adminIndex:adminHandle} (index 0 means any index of that handle).
 */
public record AdminValue(int permissions, String adminHandle, int adminIndex) {
    public static final int ADD_HANDLE = 0x0001;
    public static final int DELETE_HANDLE = 0x0002;
    public static final int ADD_DERIVED_PREFIX = 0x0004;
    public static final int DELETE_DERIVED_PREFIX = 0x0008;
    public static final int MODIFY_VALUE = 0x0010;
    public static final int REMOVE_VALUE = 0x0020;
    public static final int ADD_VALUE = 0x0040;
    public static final int MODIFY_ADMIN = 0x0080;
    public static final int REMOVE_ADMIN = 0x0100;
    public static final int ADD_ADMIN = 0x0200;
    public static final int READ_VALUE = 0x0400;
    public static final int LIST_HANDLES = 0x0800;
    /** All twelve permission bits. */
    public static final int ALL = 0x0FFF;

    public static final String TYPE = "HS_ADMIN";

    public boolean has(int permission) {
        return (permissions & permission) == permission;
    }

    public ValueReference admin() {
        return new ValueReference(adminHandle, adminIndex);
    }
}
