package io.idnode.client;

import io.idnode.model.AdminValue;

/**
 * The usual sets of HS_ADMIN permission bits (handle-protocol.md §5.2) for {@link Values#admin}; single bits
 * are the constants of {@link AdminValue}, combined with {@code |}.
 */
public final class AdminPermissions {
    /** Every permission, {@code 111111111111}. */
    public static final int ALL = AdminValue.ALL;
    /**
     * What the owner of an ordinary record needs: everything but the prefix-level rights (add/delete derived
     * prefixes, list handles), {@code 011111110011}.
     */
    public static final int RECORD_OWNER = AdminValue.ALL & ~(AdminValue.ADD_DERIVED_PREFIX
            | AdminValue.DELETE_DERIVED_PREFIX | AdminValue.LIST_HANDLES);
    /** What a production line needs on a prefix handle to register under it: add handle and list handles. */
    public static final int REGISTRAR = AdminValue.ADD_HANDLE | AdminValue.LIST_HANDLES;

    private AdminPermissions() {
    }
}
