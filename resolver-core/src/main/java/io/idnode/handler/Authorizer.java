package io.idnode.handler;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.codec.ValueListCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may do what, from HS_ADMIN values (handle-protocol.md §5.2, §6.3 step 2): an identity
 * {@code index:handle} holds the permissions of every HS_ADMIN value whose admin reference names it (same
 * handle, ASCII case-insensitive; reference index 0 or equal) or names an HS_VLIST group that contains it,
 * followed recursively up to {@link #MAX_GROUP_DEPTH} levels, each group visited once. Node administrators
 * hold every permission everywhere. Thread-safe if the lookup is.
 */
public final class Authorizer {
    /** How many levels of nested HS_VLIST groups are followed; deeper members are not found. */
    public static final int MAX_GROUP_DEPTH = 8;

    private final Function<String, HandleRecord> lookup;
    private final List<ValueReference> nodeAdmins;

    /**
     * An authorizer reading groups through {@code lookup} (a handle to its record, or null) and granting
     * everything to {@code nodeAdmins} (index 0 = any index of that handle).
     */
    public Authorizer(Function<String, HandleRecord> lookup, List<ValueReference> nodeAdmins) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.nodeAdmins = List.copyOf(nodeAdmins);
    }

    /** True if {@code identity} is one of the node's administrators. */
    public boolean isNodeAdmin(ValueReference identity) {
        for (ValueReference admin : nodeAdmins) {
            if (names(admin, identity)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if {@code identity} holds every bit of {@code permissions} through the HS_ADMIN values among
     * {@code values} (bits may come from different values), or is a node administrator.
     */
    public boolean permits(ValueReference identity, List<HandleValue> values, int permissions) {
        if (isNodeAdmin(identity)) {
            return true;
        }
        return (granted(identity, values) & permissions) == permissions;
    }

    /** The union of the permissions the HS_ADMIN values among {@code values} grant to {@code identity}. */
    public int granted(ValueReference identity, List<HandleValue> values) {
        int granted = 0;
        for (HandleValue v : values) {
            if (!v.hasType(ValueTypes.HS_ADMIN)) {
                continue;
            }
            AdminValue admin;
            try {
                admin = AdminValueCodec.decode(v.data());
            } catch (CodecException e) {
                continue; // an unreadable HS_ADMIN grants nothing
            }
            if ((granted | admin.permissions()) != granted && isMember(identity, admin.admin())) {
                granted |= admin.permissions();
            }
        }
        return granted & AdminValue.ALL;
    }

    /**
     * True if {@code identity} is the admin {@code reference} or, when the reference points at HS_VLIST
     * values, a member of those groups (recursively, loops and depth bounded).
     */
    public boolean isMember(ValueReference identity, ValueReference reference) {
        return isMember(identity, reference, 0, new HashSet<>());
    }

    private boolean isMember(ValueReference identity, ValueReference reference, int depth, Set<String> visited) {
        if (names(reference, identity)) {
            return true;
        }
        if (depth >= MAX_GROUP_DEPTH || !visited.add(reference.index() + ":" + Handles.matchKey(reference.handle()))) {
            return false;
        }
        HandleRecord group = lookup.apply(reference.handle());
        if (group == null) {
            return false;
        }
        for (ValueReference member : members(group, reference.index())) {
            if (isMember(identity, member, depth + 1, visited)) {
                return true;
            }
        }
        return false;
    }

    private static List<ValueReference> members(HandleRecord group, int index) {
        List<ValueReference> members = new ArrayList<>();
        for (HandleValue v : group.values()) {
            if ((index == 0 || v.index() == index) && v.hasType(ValueTypes.HS_VLIST)) {
                try {
                    members.addAll(ValueListCodec.decode(v.data()));
                } catch (CodecException e) {
                    // an unreadable group has no members
                }
            }
        }
        return members;
    }

    /** True if admin reference {@code admin} names {@code identity}: same handle, index 0 or equal. */
    static boolean names(ValueReference admin, ValueReference identity) {
        return (admin.index() == 0 || admin.index() == identity.index())
                && Handles.matchKey(admin.handle()).equals(Handles.matchKey(identity.handle()));
    }
}
