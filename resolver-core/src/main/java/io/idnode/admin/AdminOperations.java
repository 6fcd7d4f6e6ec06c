package io.idnode.admin;

import io.idnode.handler.ServedPrefixes;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import io.idnode.store.RecordStore.RecordWrite;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The administrative operations (handle-protocol.md §3.1, §4.4): create (with OVRW and MINT), delete, add,
 * modify and remove values, list handles of a prefix in pages, home, unhome and list homed prefixes. Each
 * request is first turned into a plan against the current records: the checks that need no identity (run
 * before a challenge, and again when executing), the permissions it needs on which HS_ADMIN values, and the
 * writes. Mutations run one at a time and apply their plan in one atomic store write, so that a success
 * reply means the change is stored (the store syncs its log) and no two operations interleave their
 * check and write. The server stamps value timestamps. Thread-safe.
 */
public final class AdminOperations {
    /** Handles per LIST_HANDLES reply message (the stock server's 50, §3.1). */
    public static final int LIST_PAGE_SIZE = 50;
    /** Random suffixes tried before MINT gives up (each is 64 random bits, so one almost always does). */
    private static final int MINT_ATTEMPTS = 8;

    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final Authorizer authorizer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    // Serialises plan + write of mutations: a check (e.g. "does not exist yet") stays true until its write.
    private final Object writeLock = new Object();

    public AdminOperations(RecordStore store, ServedPrefixes prefixes, Authorizer authorizer, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True for the operations this class answers. */
    public static boolean isAdminOperation(OpCode op) {
        return op.isAdministrative() || op.equals(OpCode.LIST_HANDLES) || op.equals(OpCode.LIST_HOMED_PREFIXES);
    }

    /** The handle a request concerns (for the audit log), "" if its body names none. */
    public static String handleOf(Message request) {
        MessageBody b = request.body();
        if (b instanceof ValuesRequest v) {
            return v.handle();
        }
        if (b instanceof RemoveValuesRequest r) {
            return r.handle();
        }
        if (b instanceof HandleRequest h) {
            return h.handle();
        }
        return "";
    }

    /** The checks that need no identity (§4.4), made before challenging: null to go on, else the refusal. */
    public Outcome check(Message request) {
        return plan(request, null).refusal;
    }

    /** Null if {@code identity} may perform {@code request} as things stand, else the refusal (4xx, 1xx, 2xx). */
    public Outcome authorize(Message request, ValueReference identity) {
        return permitted(plan(request, identity), identity);
    }

    /**
     * Checks, authorizes and performs {@code request} for {@code identity}, handing each reply outcome to
     * {@code out}: one outcome, or for LIST_HANDLES one per page of {@link #LIST_PAGE_SIZE} handles, all but
     * the last marked {@code more}.
     */
    public void execute(Message request, ValueReference identity, Consumer<Outcome> out) {
        if (request.opCode().equals(OpCode.LIST_HANDLES)) {
            Plan plan = plan(request, identity);
            Outcome refused = permitted(plan, identity);
            if (refused != null) {
                out.accept(refused);
                return;
            }
            listPages(plan.listPrefix, out);
            return;
        }
        Outcome result;
        synchronized (writeLock) {
            Plan plan = plan(request, identity);
            result = permitted(plan, identity);
            if (result == null) {
                if (!plan.writes.isEmpty()) {
                    store.write(plan.writes);
                }
                if (plan.effect != null) {
                    plan.effect.run();
                }
                result = plan.success;
            }
        }
        out.accept(result);
    }

    private Outcome permitted(Plan plan, ValueReference identity) {
        if (plan.refusal != null) {
            return plan.refusal;
        }
        if (plan.nodeAdminOnly) {
            return authorizer.isNodeAdmin(identity) ? null
                    : Outcome.refused(ResponseCode.INVALID_ADMIN, identity + " is not an administrator of this node");
        }
        if (!authorizer.permits(identity, plan.adminValues, plan.required)) {
            return Outcome.refused(ResponseCode.INVALID_ADMIN, identity + " lacks permission "
                    + String.format("0x%03X", plan.required & ~authorizer.granted(identity, plan.adminValues))
                    + " on " + plan.adminHandle);
        }
        if (plan.notWritable != null) {
            return Outcome.refused(ResponseCode.INSUFFICIENT_PERMISSIONS, plan.notWritable);
        }
        return null;
    }

    private void listPages(String prefix, Consumer<Outcome> out) {
        List<String> page = store.list(prefix, null, LIST_PAGE_SIZE);
        while (true) {
            List<String> next = page.size() < LIST_PAGE_SIZE ? List.of()
                    : store.list(prefix, page.get(page.size() - 1), LIST_PAGE_SIZE);
            boolean more = !next.isEmpty();
            out.accept(new Outcome(ResponseCode.SUCCESS, new HandleListResponse(page), more));
            if (!more) {
                return;
            }
            page = next;
        }
    }

    // ---------------------------------------------------------------- plans

    private Plan plan(Message request, ValueReference identity) {
        OpCode op = request.opCode();
        MessageBody body = request.body();
        String who = identity == null ? "" : identity.toString();
        if (op.equals(OpCode.CREATE_HANDLE) && body instanceof ValuesRequest v) {
            return create(v, request.hasFlag(OpFlags.OVERWRITE), request.hasFlag(OpFlags.MINT), who);
        }
        if (op.equals(OpCode.ADD_VALUE) && body instanceof ValuesRequest v) {
            return addOrModify(v, true, request.hasFlag(OpFlags.OVERWRITE), who);
        }
        if (op.equals(OpCode.MODIFY_VALUE) && body instanceof ValuesRequest v) {
            return addOrModify(v, false, true, who);
        }
        if (op.equals(OpCode.REMOVE_VALUE) && body instanceof RemoveValuesRequest r) {
            return remove(r, who);
        }
        if (body instanceof HandleRequest h) {
            if (op.equals(OpCode.DELETE_HANDLE)) {
                return delete(h.handle());
            }
            if (op.equals(OpCode.LIST_HANDLES)) {
                return list(h.handle());
            }
            if (op.equals(OpCode.HOME_PREFIX) || op.equals(OpCode.UNHOME_PREFIX)) {
                return homing(h.handle(), op.equals(OpCode.HOME_PREFIX));
            }
            if (op.equals(OpCode.LIST_HOMED_PREFIXES)) {
                Plan p = new Plan();
                p.nodeAdminOnly = true;
                p.success = Outcome.success(new HandleListResponse(prefixes.list()));
                return p;
            }
        }
        return Plan.refused(ResponseCode.PROTOCOL_ERROR, "operation " + op + " with a body it cannot have");
    }

    private Plan create(ValuesRequest req, boolean overwrite, boolean mint, String who) {
        String handle = req.handle();
        Plan bad = checkHandle(handle);
        if (bad != null) {
            return bad;
        }
        if (mint ? !handle.endsWith("/") : Handles.suffixPart(handle).isEmpty()) {
            return Plan.refused(ResponseCode.INVALID_HANDLE, mint ? "MINT needs a handle ending in '/'"
                    : "a handle is prefix/suffix with a non-empty suffix");
        }
        bad = checkValues(req.values());
        if (bad != null) {
            return bad;
        }
        HandleRecord existing;
        if (mint) {
            String minted = null;
            for (int i = 0; i < MINT_ATTEMPTS && minted == null; i++) {
                String candidate = handle + mintSuffix();
                if (store.get(candidate) == null) {
                    minted = candidate;
                }
            }
            if (minted == null) {
                return Plan.refused(ResponseCode.ERROR, "could not mint a free suffix under " + handle);
            }
            handle = minted;
            existing = null;
        } else {
            existing = store.get(handle);
        }
        if (existing != null && !overwrite) {
            return Plan.refused(ResponseCode.HANDLE_ALREADY_EXISTS, handle + " already exists");
        }
        long now = clock.millis();
        List<HandleValue> values = stamped(req.values(), now);
        Plan p = new Plan();
        if (existing == null) {
            if (Handles.isPrefixHandle(handle)) {
                String parent = parentPrefixHandle(handle);
                p.adminHandle = parent;
                p.adminValues = valuesOf(parent);
                p.required = AdminValue.ADD_DERIVED_PREFIX;
            } else {
                p.adminHandle = Handles.prefixHandle(Handles.governingPrefix(handle));
                p.adminValues = valuesOf(p.adminHandle);
                p.required = AdminValue.ADD_HANDLE;
            }
            p.writes = List.of(RecordWrite.put(new HandleRecord(handle, values, new RecordMetadata(now, now, who, 1))));
        } else {
            List<HandleValue[]> replaced = new ArrayList<>();
            List<HandleValue> added = new ArrayList<>();
            for (HandleValue v : values) {
                HandleValue old = existing.value(v.index());
                if (old == null) {
                    added.add(v);
                } else {
                    replaced.add(new HandleValue[] {old, v});
                }
            }
            List<HandleValue> removed = new ArrayList<>();
            for (HandleValue old : existing.values()) {
                if (indexOf(values, old.index()) < 0) {
                    removed.add(old);
                }
            }
            needs(p, existing, replaced, added, removed);
            p.writes = List.of(RecordWrite.put(new HandleRecord(existing.handle(), values, updated(existing, now, who))));
        }
        p.success = Outcome.success(new CreateHandleResponse(handle));
        return p;
    }

    private Plan addOrModify(ValuesRequest req, boolean add, boolean overwrite, String who) {
        HandleRecord existing = store.get(req.handle());
        if (existing == null) {
            return notFound(req.handle());
        }
        Plan bad = checkValues(req.values());
        if (bad != null) {
            return bad;
        }
        long now = clock.millis();
        List<HandleValue> values = stamped(req.values(), now);
        List<HandleValue[]> replaced = new ArrayList<>();
        List<HandleValue> added = new ArrayList<>();
        for (HandleValue v : values) {
            HandleValue old = existing.value(v.index());
            if (old == null && !add) {
                return Plan.refused(ResponseCode.VALUES_NOT_FOUND, "no value at index " + v.index());
            }
            if (old != null && !overwrite) {
                return Plan.refused(ResponseCode.VALUE_ALREADY_EXISTS, "a value exists at index " + v.index());
            }
            if (old == null) {
                added.add(v);
            } else {
                replaced.add(new HandleValue[] {old, v});
            }
        }
        List<HandleValue> result = new ArrayList<>(existing.values().size() + added.size());
        for (HandleValue old : existing.values()) {
            int i = indexOf(values, old.index());
            result.add(i < 0 ? old : values.get(i));
        }
        result.addAll(added);
        Plan p = new Plan();
        needs(p, existing, replaced, added, List.of());
        p.writes = List.of(RecordWrite.put(new HandleRecord(existing.handle(), result, updated(existing, now, who))));
        p.success = Outcome.DONE;
        return p;
    }

    private Plan remove(RemoveValuesRequest req, String who) {
        HandleRecord existing = store.get(req.handle());
        if (existing == null) {
            return notFound(req.handle());
        }
        if (req.indexes().length == 0) {
            return Plan.refused(ResponseCode.INVALID_VALUE, "no index to remove");
        }
        Set<Integer> indexes = new HashSet<>();
        List<HandleValue> removed = new ArrayList<>();
        for (int index : req.indexes()) {
            HandleValue old = existing.value(index);
            if (old == null) {
                return Plan.refused(ResponseCode.VALUES_NOT_FOUND, "no value at index " + index);
            }
            if (indexes.add(index)) {
                removed.add(old);
            }
        }
        List<HandleValue> kept = new ArrayList<>();
        for (HandleValue v : existing.values()) {
            if (!indexes.contains(v.index())) {
                kept.add(v);
            }
        }
        Plan p = new Plan();
        needs(p, existing, List.of(), List.of(), removed);
        p.writes = List.of(RecordWrite.put(new HandleRecord(existing.handle(), kept,
                updated(existing, clock.millis(), who))));
        p.success = Outcome.DONE;
        return p;
    }

    private Plan delete(String handle) {
        HandleRecord existing = store.get(handle);
        if (existing == null) {
            return notFound(handle);
        }
        Plan p = new Plan();
        p.adminHandle = existing.handle();
        p.adminValues = existing.values();
        p.required = AdminValue.DELETE_HANDLE;
        p.writes = List.of(RecordWrite.delete(existing.handle()));
        p.success = Outcome.DONE;
        return p;
    }

    private Plan list(String handle) {
        String prefixHandle = Handles.lookupForm(handle);
        String prefix = Handles.governingPrefix(prefixHandle);
        if (!Handles.isPrefixHandle(prefixHandle) || prefix.isEmpty()) {
            return Plan.refused(ResponseCode.INVALID_HANDLE, "list handles needs a prefix handle 0.NA/<prefix>");
        }
        if (!prefixes.isServed(prefix)) {
            return Plan.refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix " + prefix + " not homed here");
        }
        Plan p = new Plan();
        p.adminHandle = prefixHandle;
        p.adminValues = valuesOf(prefixHandle);
        p.required = AdminValue.LIST_HANDLES;
        p.listPrefix = prefix;
        return p;
    }

    private Plan homing(String handle, boolean home) {
        String prefix = handle.isEmpty() ? "" : Handles.governingPrefix(handle);
        if (prefix.isEmpty() || prefix.indexOf('/') >= 0) {
            return Plan.refused(ResponseCode.INVALID_HANDLE, "expected a prefix handle 0.NA/<prefix>, got " + handle);
        }
        if (!home && !prefixes.isServed(prefix)) {
            return Plan.refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix " + prefix + " not homed here");
        }
        if (!home && prefixes.list().size() == 1) {
            return Plan.refused(ResponseCode.OPERATION_NOT_SUPPORTED, "the last prefix of a node cannot be unhomed");
        }
        Plan p = new Plan();
        p.nodeAdminOnly = true;
        p.effect = home ? () -> prefixes.home(prefix) : () -> prefixes.unhome(prefix);
        p.success = Outcome.DONE;
        return p;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The permissions a change of {@code existing} needs (§4.4): ADD_VALUE / ADD_ADMIN for new values,
     * MODIFY_VALUE / MODIFY_ADMIN (plus REMOVE_ADMIN or ADD_ADMIN when a value turns from or into HS_ADMIN)
     * for replaced ones, REMOVE_VALUE / REMOVE_ADMIN for removed ones, all on the record's own HS_ADMIN
     * values; replacing a value without admin-write is refused with 401.
     */
    private static void needs(Plan p, HandleRecord existing, List<HandleValue[]> replaced, List<HandleValue> added,
            List<HandleValue> removed) {
        int required = 0;
        for (HandleValue[] change : replaced) {
            boolean wasAdmin = change[0].hasType(ValueTypes.HS_ADMIN);
            boolean isAdmin = change[1].hasType(ValueTypes.HS_ADMIN);
            if (wasAdmin && isAdmin) {
                required |= AdminValue.MODIFY_ADMIN;
            } else if (wasAdmin) {
                required |= AdminValue.REMOVE_ADMIN | AdminValue.MODIFY_VALUE;
            } else if (isAdmin) {
                required |= AdminValue.MODIFY_VALUE | AdminValue.ADD_ADMIN;
            } else {
                required |= AdminValue.MODIFY_VALUE;
            }
            if ((change[0].permissions() & ValuePermissions.ADMIN_WRITE) == 0 && p.notWritable == null) {
                p.notWritable = "value " + change[0].index() + " of " + existing.handle() + " is not admin-writable";
            }
        }
        for (HandleValue v : added) {
            required |= v.hasType(ValueTypes.HS_ADMIN) ? AdminValue.ADD_ADMIN : AdminValue.ADD_VALUE;
        }
        for (HandleValue v : removed) {
            required |= v.hasType(ValueTypes.HS_ADMIN) ? AdminValue.REMOVE_ADMIN : AdminValue.REMOVE_VALUE;
        }
        p.required = required;
        p.adminHandle = existing.handle();
        p.adminValues = existing.values();
    }

    private Plan checkHandle(String handle) {
        if (handle.isEmpty() || handle.indexOf('/') < 0) {
            return Plan.refused(ResponseCode.INVALID_HANDLE, "a handle is prefix/suffix, got \"" + handle + "\"");
        }
        if (!prefixes.covers(handle)) {
            return Plan.refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix of " + handle + " not homed here");
        }
        return null;
    }

    private static Plan checkValues(List<HandleValue> values) {
        if (values.isEmpty()) {
            return Plan.refused(ResponseCode.INVALID_VALUE, "no values");
        }
        Set<Integer> seen = new HashSet<>();
        for (HandleValue v : values) {
            if (v.index() <= 0) {
                return Plan.refused(ResponseCode.INVALID_VALUE, "value index " + v.index() + " (must be > 0)");
            }
            if (!seen.add(v.index())) {
                return Plan.refused(ResponseCode.VALUE_ALREADY_EXISTS, "index " + v.index() + " given twice");
            }
        }
        return null;
    }

    private static Plan notFound(String handle) {
        return Plan.refused(ResponseCode.HANDLE_NOT_FOUND, handle + " not found");
    }

    private List<HandleValue> valuesOf(String handle) {
        if (handle == null) {
            return List.of();
        }
        HandleRecord r = store.get(handle);
        return r == null ? List.of() : r.values();
    }

    /** {@code 0.NA/88.100} for {@code 0.NA/88.100.1}; null for a top-level prefix. */
    private static String parentPrefixHandle(String prefixHandle) {
        String prefix = Handles.governingPrefix(prefixHandle);
        int dot = prefix.lastIndexOf('.');
        return dot <= 0 ? null : Handles.prefixHandle(prefix.substring(0, dot));
    }

    private static List<HandleValue> stamped(List<HandleValue> values, long nowMillis) {
        int now = (int) (nowMillis / 1000);
        List<HandleValue> out = new ArrayList<>(values.size());
        for (HandleValue v : values) {
            out.add(v.withTimestamp(now));
        }
        return out;
    }

    private static RecordMetadata updated(HandleRecord existing, long now, String who) {
        RecordMetadata m = existing.metadata();
        return new RecordMetadata(m.createdMillis() == 0 ? now : m.createdMillis(), now, who, m.version() + 1);
    }

    private static int indexOf(List<HandleValue> values, int index) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).index() == index) {
                return i;
            }
        }
        return -1;
    }

    private String mintSuffix() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** What a request would do: a refusal, or the permissions it needs and the writes that perform it. */
    private static final class Plan {
        Outcome refusal;
        boolean nodeAdminOnly;
        String adminHandle;
        List<HandleValue> adminValues = List.of();
        int required;
        String notWritable;
        List<RecordWrite> writes = List.of();
        Runnable effect;
        String listPrefix;
        Outcome success;

        static Plan refused(ResponseCode code, String message) {
            Plan p = new Plan();
            p.refusal = Outcome.refused(code, message);
            return p;
        }
    }
}
