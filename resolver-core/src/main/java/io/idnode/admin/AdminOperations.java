package io.idnode.admin;

import io.idnode.admin.Plan.Change;
import io.idnode.admin.Plan.HomedPrefixes;
import io.idnode.admin.Plan.Homing;
import io.idnode.admin.Plan.Listing;
import io.idnode.admin.Plan.Needs;
import io.idnode.admin.Plan.Refused;
import io.idnode.admin.Plan.Replacement;
import io.idnode.handler.Authorizer;
import io.idnode.handler.Outcome;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.ServedPrefixes;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The administrative operations (handle-protocol.md §3.1, §4.4): create (with OVRW and MINT), delete, add,
 * modify and remove values, list handles of a prefix in pages, home, unhome and list homed prefixes. Each
 * request is turned into a {@link Plan} against the current records: refused by the checks that need no
 * identity, or the permissions it needs on which HS_ADMIN values and its effect (the writes). Mutations are
 * planned and applied one at a time, each in one atomic store write, so that no two operations interleave
 * their check and write; then, outside that lock, each waits for the store to make durable everything it
 * rests on (group commit: one sync of the store's log covers every mutation applied meanwhile). So a success
 * means the change is on disk, and a refusal is given only once the records it was judged on are. The server
 * stamps value timestamps. Thread-safe.
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
    private final Runnable applied;
    private final SecureRandom random = new SecureRandom();
    // Serialises plan + write of mutations: a check (e.g. "does not exist yet") stays true until its write.
    private final Object writeLock = new Object();

    /** Operations on {@code store} for the prefixes in {@code prefixes}, stamping values with {@code clock}. */
    public AdminOperations(RecordStore store, ServedPrefixes prefixes, Authorizer authorizer, Clock clock) {
        this(store, prefixes, authorizer, clock, () -> { });
    }

    /**
     * As {@link #AdminOperations(RecordStore, ServedPrefixes, Authorizer, Clock)}, running {@code applied} after
     * each change's writes are applied to the store (visible, not yet durable), under the write lock: how what
     * keeps findings from the records (the referrals of {@link io.idnode.handler.Delegations}) learns of changes.
     */
    public AdminOperations(RecordStore store, ServedPrefixes prefixes, Authorizer authorizer, Clock clock,
            Runnable applied) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.applied = Objects.requireNonNull(applied, "applied");
    }

    /** True for the operations this class answers. */
    static boolean answers(OpCode op) {
        return op.isAdministrative() || op.equals(OpCode.LIST_HANDLES) || op.equals(OpCode.LIST_HOMED_PREFIXES);
    }

    /** The checks that need no identity (§4.4), made before challenging: null to go on, else the refusal. */
    public Outcome check(Message request) {
        return plan(request, null) instanceof Refused refused ? refused.refusal() : null;
    }

    /** Null if {@code identity} may perform {@code request} as things stand, else the refusal (4xx, 1xx, 2xx). */
    public Outcome authorize(Message request, ValueReference identity) {
        return refusal(plan(request, identity), identity);
    }

    /**
     * Checks, authorizes and performs {@code request} for {@code identity}, planning it once, handing each
     * reply outcome to {@code out}: one outcome, or for LIST_HANDLES one per page of {@link #LIST_PAGE_SIZE}
     * handles, all but the last marked {@code more}. The outcome of a mutation, a refusal too, comes once the
     * records it was judged on are durable: possibly later, on the thread whose sync covered them. The stage
     * completes after the last outcome; it fails with a {@link io.idnode.store.StoreException} when the store
     * could not make them durable (no outcome comes then), or with what {@code out} threw.
     */
    public CompletionStage<Void> execute(Message request, ValueReference identity, Consumer<Outcome> out) {
        if (request.opCode().equals(OpCode.LIST_HANDLES)) {
            // Reads only: outside the write lock, so that a long listing holds up no change.
            Plan plan = plan(request, identity);
            Outcome refused = refusal(plan, identity);
            if (refused != null) {
                out.accept(refused);
            } else {
                listPages(((Listing) plan).prefix(), out);
            }
            return CompletableFuture.completedStage(null);
        }
        Outcome result;
        long position;
        synchronized (writeLock) {
            Plan plan = plan(request, identity);
            Outcome refused = refusal(plan, identity);
            if (refused != null) {
                result = refused;
                position = store.apply(List.of()); // what the refusal was judged on
            } else if (plan instanceof Change change) {
                result = change.success();
                try {
                    position = store.apply(change.writes());
                } finally {
                    applied.run(); // also after a failed apply: the writes may have been kept
                }
            } else {
                result = applyToNode(plan);
                position = store.apply(List.of());
            }
        }
        // Outside the lock: the next mutations are planned and applied while this one waits for its sync.
        return store.durable(position).thenAccept(durable -> out.accept(result));
    }

    /** Null if {@code identity} may carry out {@code plan}, else the refusal. */
    private Outcome refusal(Plan plan, ValueReference identity) {
        if (plan instanceof Refused refused) {
            return refused.refusal();
        }
        if (plan instanceof Change change) {
            return refusal(change.needs(), identity);
        }
        if (plan instanceof Listing listing) {
            return refusal(listing.needs(), identity);
        }
        // Homing and HomedPrefixes: the node's own business.
        return authorizer.isNodeAdmin(identity) ? null
                : Outcome.refused(ResponseCode.INVALID_ADMIN, identity + " is not an administrator of this node");
    }

    private Outcome refusal(Needs needs, ValueReference identity) {
        if (!authorizer.permits(identity, needs.adminValues(), needs.permissions())) {
            return Outcome.refused(ResponseCode.INVALID_ADMIN, identity + " lacks permission "
                    + String.format("0x%03X", needs.permissions() & ~authorizer.granted(identity, needs.adminValues()))
                    + " on " + needs.adminHandle());
        }
        if (needs.notWritable() != null) {
            return Outcome.refused(ResponseCode.INSUFFICIENT_PERMISSIONS, needs.notWritable());
        }
        return null;
    }

    /** Carries out a permitted plan that changes no record (under the write lock) and returns its success. */
    private Outcome applyToNode(Plan plan) {
        if (plan instanceof Homing homing) {
            if (homing.home()) {
                prefixes.home(homing.prefix());
            } else {
                prefixes.unhome(homing.prefix());
            }
            return Outcome.DONE;
        }
        if (plan instanceof HomedPrefixes homed) {
            return Outcome.success(new HandleListResponse(homed.prefixes()));
        }
        // Refusals, changes of records and listings never come here.
        throw new IllegalStateException("nothing to apply for " + plan);
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
                return new HomedPrefixes(prefixes.list());
            }
        }
        return refused(ResponseCode.PROTOCOL_ERROR, "operation " + op + " with a body it cannot have");
    }

    private Plan create(ValuesRequest req, boolean overwrite, boolean mint, String who) {
        String handle = req.handle();
        Plan bad = checkHandle(handle);
        if (bad != null) {
            return bad;
        }
        if (mint ? !handle.endsWith("/") : Handles.suffixPart(handle).isEmpty()) {
            return refused(ResponseCode.INVALID_HANDLE, mint ? "MINT needs a handle ending in '/'"
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
                return refused(ResponseCode.ERROR, "could not mint a free suffix under " + handle);
            }
            handle = minted;
            existing = null;
        } else {
            existing = store.get(handle);
        }
        if (existing != null && !overwrite) {
            return refused(ResponseCode.HANDLE_ALREADY_EXISTS, handle + " already exists");
        }
        long now = clock.millis();
        List<HandleValue> values = stamped(req.values(), now);
        Outcome success = Outcome.success(new CreateHandleResponse(handle));
        if (existing == null) {
            Needs needs;
            if (Handles.isPrefixHandle(handle)) {
                String parent = parentPrefixHandle(handle);
                needs = new Needs(parent, valuesOf(parent), AdminValue.ADD_DERIVED_PREFIX, null);
            } else {
                String prefixHandle = Handles.prefixHandle(Handles.governingPrefix(handle));
                needs = new Needs(prefixHandle, valuesOf(prefixHandle), AdminValue.ADD_HANDLE, null);
            }
            return new Change(needs, List.of(RecordWrite.put(new HandleRecord(handle, values,
                    new RecordMetadata(now, now, who, 1)))), success);
        }
        List<Replacement> replaced = new ArrayList<>();
        List<HandleValue> added = new ArrayList<>();
        for (HandleValue v : values) {
            HandleValue old = existing.value(v.index());
            if (old == null) {
                added.add(v);
            } else {
                replaced.add(new Replacement(old, v));
            }
        }
        List<HandleValue> removed = new ArrayList<>();
        for (HandleValue old : existing.values()) {
            if (indexOf(values, old.index()) < 0) {
                removed.add(old);
            }
        }
        return new Change(needs(existing, replaced, added, removed), List.of(RecordWrite.put(
                new HandleRecord(existing.handle(), values, updated(existing, now, who)))), success);
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
        List<Replacement> replaced = new ArrayList<>();
        List<HandleValue> added = new ArrayList<>();
        for (HandleValue v : values) {
            HandleValue old = existing.value(v.index());
            if (old == null && !add) {
                return refused(ResponseCode.VALUES_NOT_FOUND, "no value at index " + v.index());
            }
            if (old != null && !overwrite) {
                return refused(ResponseCode.VALUE_ALREADY_EXISTS, "a value exists at index " + v.index());
            }
            if (old == null) {
                added.add(v);
            } else {
                replaced.add(new Replacement(old, v));
            }
        }
        List<HandleValue> result = new ArrayList<>(existing.values().size() + added.size());
        for (HandleValue old : existing.values()) {
            int i = indexOf(values, old.index());
            result.add(i < 0 ? old : values.get(i));
        }
        result.addAll(added);
        return new Change(needs(existing, replaced, added, List.of()), List.of(RecordWrite.put(
                new HandleRecord(existing.handle(), result, updated(existing, now, who)))), Outcome.DONE);
    }

    private Plan remove(RemoveValuesRequest req, String who) {
        HandleRecord existing = store.get(req.handle());
        if (existing == null) {
            return notFound(req.handle());
        }
        if (req.indexes().length == 0) {
            return refused(ResponseCode.INVALID_VALUE, "no index to remove");
        }
        Set<Integer> indexes = new HashSet<>();
        List<HandleValue> removed = new ArrayList<>();
        for (int index : req.indexes()) {
            HandleValue old = existing.value(index);
            if (old == null) {
                return refused(ResponseCode.VALUES_NOT_FOUND, "no value at index " + index);
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
        return new Change(needs(existing, List.of(), List.of(), removed), List.of(RecordWrite.put(
                new HandleRecord(existing.handle(), kept, updated(existing, clock.millis(), who)))), Outcome.DONE);
    }

    private Plan delete(String handle) {
        HandleRecord existing = store.get(handle);
        if (existing == null) {
            return notFound(handle);
        }
        return new Change(new Needs(existing.handle(), existing.values(), AdminValue.DELETE_HANDLE, null),
                List.of(RecordWrite.delete(existing.handle())), Outcome.DONE);
    }

    private Plan list(String handle) {
        String prefixHandle = Handles.lookupForm(handle);
        String prefix = Handles.governingPrefix(prefixHandle);
        if (!Handles.isPrefixHandle(prefixHandle) || prefix.isEmpty()) {
            return refused(ResponseCode.INVALID_HANDLE, "list handles needs a prefix handle 0.NA/<prefix>");
        }
        if (!prefixes.isServed(prefix)) {
            return refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix " + prefix + " not homed here");
        }
        return new Listing(new Needs(prefixHandle, valuesOf(prefixHandle), AdminValue.LIST_HANDLES, null), prefix);
    }

    private Plan homing(String handle, boolean home) {
        String prefix = handle.isEmpty() ? "" : Handles.governingPrefix(handle);
        if (prefix.isEmpty() || prefix.indexOf('/') >= 0) {
            return refused(ResponseCode.INVALID_HANDLE, "expected a prefix handle 0.NA/<prefix>, got " + handle);
        }
        if (!home && !prefixes.isServed(prefix)) {
            return refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix " + prefix + " not homed here");
        }
        if (!home && prefixes.list().size() == 1) {
            return refused(ResponseCode.OPERATION_NOT_SUPPORTED, "the last prefix of a node cannot be unhomed");
        }
        return new Homing(prefix, home);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The permissions a change of {@code existing} needs (§4.4): ADD_VALUE / ADD_ADMIN for new values,
     * MODIFY_VALUE / MODIFY_ADMIN (plus REMOVE_ADMIN or ADD_ADMIN when a value turns from or into HS_ADMIN)
     * for replaced ones, REMOVE_VALUE / REMOVE_ADMIN for removed ones, all on the record's own HS_ADMIN
     * values; replacing a value without admin-write is refused with 401.
     */
    private static Needs needs(HandleRecord existing, List<Replacement> replaced, List<HandleValue> added,
            List<HandleValue> removed) {
        int required = 0;
        String notWritable = null;
        for (Replacement change : replaced) {
            boolean wasAdmin = change.old().hasType(ValueTypes.HS_ADMIN);
            boolean isAdmin = change.replacement().hasType(ValueTypes.HS_ADMIN);
            if (wasAdmin && isAdmin) {
                required |= AdminValue.MODIFY_ADMIN;
            } else if (wasAdmin) {
                required |= AdminValue.REMOVE_ADMIN | AdminValue.MODIFY_VALUE;
            } else if (isAdmin) {
                required |= AdminValue.MODIFY_VALUE | AdminValue.ADD_ADMIN;
            } else {
                required |= AdminValue.MODIFY_VALUE;
            }
            if ((change.old().permissions() & ValuePermissions.ADMIN_WRITE) == 0 && notWritable == null) {
                notWritable = "value " + change.old().index() + " of " + existing.handle() + " is not admin-writable";
            }
        }
        for (HandleValue v : added) {
            required |= v.hasType(ValueTypes.HS_ADMIN) ? AdminValue.ADD_ADMIN : AdminValue.ADD_VALUE;
        }
        for (HandleValue v : removed) {
            required |= v.hasType(ValueTypes.HS_ADMIN) ? AdminValue.REMOVE_ADMIN : AdminValue.REMOVE_VALUE;
        }
        return new Needs(existing.handle(), existing.values(), required, notWritable);
    }

    private Plan checkHandle(String handle) {
        if (handle.isEmpty() || handle.indexOf('/') < 0) {
            return refused(ResponseCode.INVALID_HANDLE, "a handle is prefix/suffix, got \"" + handle + "\"");
        }
        if (!prefixes.holds(handle)) {
            return refused(ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix of " + handle + " not homed here");
        }
        return null;
    }

    private static Plan checkValues(List<HandleValue> values) {
        if (values.isEmpty()) {
            return refused(ResponseCode.INVALID_VALUE, "no values");
        }
        Set<Integer> seen = new HashSet<>();
        for (HandleValue v : values) {
            if (v.index() <= 0) {
                return refused(ResponseCode.INVALID_VALUE, "value index " + v.index() + " (must be > 0)");
            }
            if (!seen.add(v.index())) {
                return refused(ResponseCode.VALUE_ALREADY_EXISTS, "index " + v.index() + " given twice");
            }
        }
        return null;
    }

    private static Plan notFound(String handle) {
        return refused(ResponseCode.HANDLE_NOT_FOUND, handle + " not found");
    }

    private static Plan refused(ResponseCode code, String message) {
        return new Refused(Outcome.refused(code, message));
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
}
