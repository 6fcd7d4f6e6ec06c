package io.idnode.handler;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Referrals of a parent node (handle-protocol.md §4.3) for resolutions of handles whose prefix is not homed here
 * but derived from one that is. A prefix handle {@code 0.NA/Q} kept here (the delegation record of a child) is
 * resolved as any record; one not kept here is answered 303 with the public HS_SITE.PREFIX, HS_NA_DELEGATE and
 * HS_SERV.PREFIX values of its nearest ancestor holding some; a handle {@code Q/S} is answered 302 naming
 * {@code 0.NA/Q}, with its public HS_SITE, HS_SITE.6 and HS_SERV values when that record is kept here. With DNRF
 * no referral is given (100 for a prefix handle, 301 for a handle); outside every delegation the answer is 301.
 *
 * <p>What is found for a prefix is kept in a Caffeine cache, so a referral costs no store lookup once its
 * prefix is hot. An entry is stamped with the version of the served prefixes and the generation of writes to
 * the store ({@link #recordsChanged}); a later change makes it stale. Thread-safe.
 */
public final class Delegations {
    /** Entries kept at most, one per prefix asked about. */
    public static final long DEFAULT_MAXIMUM_SIZE = 1 << 18;
    /** How long an entry is kept at most, besides being made stale by {@link #recordsChanged}. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);

    private static final String[] PREFIX_TYPES = {ValueTypes.HS_SITE_PREFIX, ValueTypes.HS_NA_DELEGATE,
        ValueTypes.HS_SERV_PREFIX};
    private static final String[] SERVICE_TYPES = {ValueTypes.HS_SITE, ValueTypes.HS_SITE_6, ValueTypes.HS_SERV};
    private static final Executor SAME_THREAD = Runnable::run;

    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final Replies replies;
    private final Cache<String, Entry> entries;
    private final AtomicLong writes = new AtomicLong();

    /**
     * What is known of a prefix {@code Q} not homed here: whether {@code 0.NA/Q} is kept here, its public service
     * values, and the public delegation values of its nearest ancestor holding some.
     */
    private record Entry(int prefixesVersion, long writeGeneration, String prefixHandle, boolean held,
            List<HandleValue> service, List<HandleValue> delegation) {
    }

    /** Referrals from the records of {@code store} under {@code prefixes}, with the default cache bounds. */
    public Delegations(RecordStore store, ServedPrefixes prefixes, Replies replies) {
        this(store, prefixes, replies, DEFAULT_MAXIMUM_SIZE, DEFAULT_LIFETIME);
    }

    /** As {@link #Delegations(RecordStore, ServedPrefixes, Replies)}, keeping {@code maximumSize} entries for {@code lifetime}. */
    public Delegations(RecordStore store, ServedPrefixes prefixes, Replies replies, long maximumSize,
            Duration lifetime) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.entries = Caffeine.newBuilder().executor(SAME_THREAD).maximumSize(maximumSize)
                .expireAfterWrite(lifetime).build();
    }

    /**
     * The answer to a resolution {@code request} of {@code handle}, whose prefix is not homed here: a referral,
     * 100 or 301; or null when its record is a delegation record kept here, to be resolved as any other.
     */
    public Message refer(Message request, String handle) {
        String lookup = Handles.lookupForm(handle);
        String prefix = Handles.asciiUpper(Handles.governingPrefix(lookup));
        if (prefixes.servedAncestor(prefix) == null) {
            return replies.error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix not homed here");
        }
        Entry e = entry(prefix);
        boolean noReferral = request.hasFlag(OpFlags.DO_NOT_REFER);
        if (Handles.isPrefixHandle(lookup)) {
            if (e.held()) {
                return null;
            }
            if (noReferral || e.delegation().isEmpty()) {
                return replies.error(request, ResponseCode.HANDLE_NOT_FOUND, "handle not found");
            }
            return replies.reply(request, ResponseCode.PREFIX_REFERRAL, new ReferralResponse("", e.delegation()));
        }
        if (noReferral || !e.held() && e.delegation().isEmpty()) {
            return replies.error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix not homed here");
        }
        return replies.reply(request, ResponseCode.SERVICE_REFERRAL, new ReferralResponse(e.prefixHandle(),
                e.service()));
    }

    /**
     * Makes every entry found so far stale, so that a delegation changed is referred to at once: called after writes
     * to the store are applied (visible to reads). An entry is stamped with the generation read before its lookup,
     * so one found from records older than the writes carries an older generation than the one this sets.
     */
    public void recordsChanged() {
        writes.incrementAndGet();
    }

    private Entry entry(String prefix) {
        int version = prefixes.version();
        long generation = writes.get();
        Entry e = entries.getIfPresent(prefix);
        if (e != null && e.prefixesVersion() == version && e.writeGeneration() == generation) {
            return e;
        }
        e = find(prefix, version, generation);
        entries.put(prefix, e);
        return e;
    }

    private Entry find(String prefix, int version, long generation) {
        String prefixHandle = Handles.prefixHandle(prefix);
        HandleRecord own = store.get(prefixHandle);
        List<HandleValue> service = own == null ? List.of() : publicOfTypes(own, SERVICE_TYPES);
        List<HandleValue> delegation = List.of();
        String top = prefixes.servedAncestor(prefix);
        for (int dot = prefix.lastIndexOf('.'); dot >= top.length(); dot = prefix.lastIndexOf('.', dot - 1)) {
            HandleRecord ancestor = store.get(Handles.prefixHandle(prefix.substring(0, dot)));
            if (ancestor != null) {
                delegation = publicOfTypes(ancestor, PREFIX_TYPES);
                if (!delegation.isEmpty()) {
                    break;
                }
            }
            if (dot == top.length()) {
                break;
            }
        }
        return new Entry(version, generation, prefixHandle, own != null, service, delegation);
    }

    private static List<HandleValue> publicOfTypes(HandleRecord record, String[] types) {
        List<HandleValue> out = new ArrayList<>();
        for (HandleValue v : record.values()) {
            if (!v.isPublicReadable()) {
                continue;
            }
            for (String t : types) {
                if (v.type().equalsIgnoreCase(t)) {
                    out.add(v);
                    break;
                }
            }
        }
        return List.copyOf(out);
    }
}
