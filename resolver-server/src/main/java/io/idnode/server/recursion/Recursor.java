package io.idnode.server.recursion;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.handler.UpstreamNodes;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The resolver of a recursive node: answers a resolution of any handle by asking the tree itself, from the
 * top-level nodes it trusts, and following the referrals (handle-protocol.md §4.3, §7.1): the sites of prefix
 * {@code P} are the HS_SITE values of {@code 0.NA/P} (HS_SERV followed), found by prefix referrals (303) from the
 * roots; {@code P/S} is then asked there, following service referrals (302). At most {@link
 * RecursionSettings#MAX_HOPS} upstream requests are made for one answer, the request's recursion count included
 * (§2.1), and a request to a site it was already sent to is a referral loop; both end in 6. A next node that
 * cannot be reached gives 601, one that does not answer in time 602 (cn-extensions.md §6.3).
 *
 * <p>Answers are kept by their TTL, the shortest of their values' (§5.1), not-found answers (100, 200) for the
 * negative TTL; the sites of a prefix and the prefix referrals by the TTL of the values that name them; none longer
 * than the maximum TTL. Answers to requests carrying a RECURSION_AUTH token (§6.2, passed
 * on) are never kept, nor refusals other than not-found. Time is a {@link Ticker}'s. Thread-safe.
 */
public final class Recursor implements AutoCloseable {
    private static final String[] SERVICE_TYPES = {ValueTypes.HS_SITE, ValueTypes.HS_SITE_6};
    private static final String[] PREFIX_SITE_TYPES = {ValueTypes.HS_SITE_PREFIX, ValueTypes.HS_NA_DELEGATE};
    private static final List<String> PREFIX_LOOKUP = List.of(ValueTypes.HS_SITE, ValueTypes.HS_SITE_6,
            ValueTypes.HS_SERV);

    private final RecursionSettings settings;
    private final UpstreamNodes upstream;
    private final Clock clock;
    private final Cache<String, Answer> answers;
    private final Cache<String, Sites> services;
    private final Cache<String, Sites> referrals;
    private final LongAdder upstreamRequests = new LongAdder();

    /** The final outcome of a resolution: a success with its values, or an error code and message. */
    public record Answer(ResponseCode code, List<HandleValue> values, String message, long ttlNanos) {
    }

    /** Sites found for a prefix, kept for {@code ttlNanos}. */
    private record Sites(List<SiteInfo> sites, long ttlNanos) {
    }

    /** A request sent to sites: the same one twice in one resolution is a loop. */
    private record Asked(String handle, List<SiteInfo> sites) {
    }

    /** An outcome that ends the resolution with {@code code}. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ResponseCode code;

        Failure(ResponseCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** One resolution's walk: its deadline, the requests it sent, and the recursion count it began with. */
    private static final class Walk {
        final long deadline;
        final int startCount;
        final Set<Asked> asked = new HashSet<>();
        int hops;
        List<SiteInfo> lastSites = List.of();

        Walk(long deadline, int startCount) {
            this.deadline = deadline;
            this.startCount = startCount;
        }
    }

    /** A resolver with {@code settings}, asking through {@code upstream}, timed by {@code ticker}, dated by {@code clock}. */
    public Recursor(RecursionSettings settings, UpstreamNodes upstream, Ticker ticker, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.answers = cache(ticker, settings.cacheEntries(), Answer::ttlNanos);
        this.services = cache(ticker, Math.max(16, settings.cacheEntries() / 4), Sites::ttlNanos);
        this.referrals = cache(ticker, Math.max(16, settings.cacheEntries() / 4), Sites::ttlNanos);
    }

    private static <V> Cache<String, V> cache(Ticker ticker, long size, java.util.function.ToLongFunction<V> ttl) {
        return Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(size)
                .expireAfter(new Expiry<String, V>() {
                    @Override
                    public long expireAfterCreate(String key, V value, long currentTime) {
                        return ttl.applyAsLong(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, V value, long currentTime, long currentDuration) {
                        return ttl.applyAsLong(value);
                    }

                    @Override
                    public long expireAfterRead(String key, V value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /** Requests sent to other nodes so far. */
    public long upstreamRequests() {
        return upstreamRequests.sum();
    }

    /** The kept answer to {@code req} sent with {@code request}'s flags, or null (also when it may not be kept). */
    public Answer cached(Message request, ResolutionRequest req) {
        String key = key(request, req);
        return key == null ? null : answers.getIfPresent(key);
    }

    /**
     * The answer to the resolution {@code req} of {@code request}, found by asking the tree; kept when it may be.
     * Never fails: every failure is an {@link Answer} with its code.
     */
    public CompletableFuture<Answer> resolve(Message request, ResolutionRequest req) {
        int count = request.header().recursionCount();
        if (count >= RecursionSettings.MAX_HOPS) {
            return CompletableFuture.completedFuture(new Answer(ResponseCode.RECURSION_COUNT_TOO_HIGH, List.of(),
                    "recursion count " + count + " reached the limit of " + RecursionSettings.MAX_HOPS, 0));
        }
        Walk walk = new Walk(System.nanoTime() + settings.timeout().toNanos(), count);
        int flags = request.header().opFlags() & (OpFlags.PUBLIC_ONLY | OpFlags.RECURSION_AUTH | OpFlags.AUTHORITATIVE)
                | OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY;
        String lookup = Handles.lookupForm(req.handle());
        CompletableFuture<Message> reply;
        try {
            reply = lookUp(lookup, req.types(), req.indexes(), flags, req.authString(), walk);
        } catch (Failure f) {
            reply = CompletableFuture.failedFuture(f);
        }
        String key = key(request, req);
        return reply.handle((m, err) -> {
            Answer a = err == null ? answerOf(m) : failed(err);
            if (key != null && a.ttlNanos() > 0) {
                answers.put(key, a);
            }
            return a;
        });
    }

    /** The final reply to a resolution of {@code handle} (lookup form), from the prefix's sites. */
    private CompletableFuture<Message> lookUp(String handle, List<String> types, int[] indexes, int flags,
            Bytes auth, Walk walk) {
        if (Handles.isPrefixHandle(handle) || handle.startsWith("0.")) {
            Sites known = referrals.getIfPresent(Handles.asciiUpper(handle));
            return ask(handle, types, indexes, flags, auth, known != null ? known.sites() : settings.roots(), walk);
        }
        return sitesOf(Handles.prefixPart(handle), walk)
                .thenCompose(sites -> ask(handle, types, indexes, flags, auth, sites, walk));
    }

    /** The sites of prefix {@code prefix}: the HS_SITE values of its prefix record, HS_SERV followed. */
    private CompletableFuture<List<SiteInfo>> sitesOf(String prefix, Walk walk) {
        String key = Handles.asciiUpper(prefix);
        Sites known = services.getIfPresent(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known.sites());
        }
        String prefixHandle = Handles.prefixHandle(prefix);
        return lookUp(prefixHandle, PREFIX_LOOKUP, new int[0], Requests.DEFAULT_FLAGS, null, walk)
                .thenCompose(reply -> {
                    if (!reply.responseCode().equals(ResponseCode.SUCCESS)
                            || !(reply.body() instanceof ResolutionResponse r)) {
                        boolean missing = reply.responseCode().equals(ResponseCode.HANDLE_NOT_FOUND)
                                || reply.responseCode().equals(ResponseCode.VALUES_NOT_FOUND);
                        throw new Failure(missing ? ResponseCode.HANDLE_NOT_FOUND : reply.responseCode(),
                                "prefix " + prefix + (missing ? " not found" : ": " + messageOf(reply)));
                    }
                    List<SiteInfo> answered = walk.lastSites;
                    return withServices(r.values(), SERVICE_TYPES, ValueTypes.HS_SERV, walk).thenApply(found -> {
                        List<SiteInfo> sites = found.sites().isEmpty() ? answered : found.sites();
                        services.put(key, new Sites(sites, found.ttlNanos()));
                        return sites;
                    });
                });
    }

    /**
     * The sites described by the values of {@code types} among {@code values}, and those of the services their
     * {@code serviceType} values name (the same types of the named handle), with the shortest TTL among them.
     */
    private CompletableFuture<Sites> withServices(List<HandleValue> values, String[] types, String serviceType,
            Walk walk) {
        List<SiteInfo> sites = new ArrayList<>();
        long ttl = settings.maxTtl().toNanos();
        List<String> services = new ArrayList<>();
        for (HandleValue v : values) {
            if (hasType(v, types)) {
                try {
                    sites.add(SiteInfoCodec.decode(v.data()));
                    ttl = Math.min(ttl, ttlNanos(v));
                } catch (CodecException e) {
                    continue; // a malformed site is skipped, as the stock client skips it
                }
            } else if (v.type().equalsIgnoreCase(serviceType)) {
                services.add(v.dataAsString());
                ttl = Math.min(ttl, ttlNanos(v));
            }
        }
        CompletableFuture<Sites> found = CompletableFuture.completedFuture(new Sites(sites, ttl));
        for (String service : services) {
            found = found.thenCompose(so -> lookUp(Handles.lookupForm(service), List.of(types), new int[0],
                    Requests.DEFAULT_FLAGS, null, walk).thenApply(reply -> {
                        List<SiteInfo> more = new ArrayList<>(so.sites());
                        long t = so.ttlNanos();
                        if (reply.body() instanceof ResolutionResponse r) {
                            for (HandleValue v : r.values()) {
                                if (hasType(v, types)) {
                                    try {
                                        more.add(SiteInfoCodec.decode(v.data()));
                                        t = Math.min(t, ttlNanos(v));
                                    } catch (CodecException e) {
                                        continue;
                                    }
                                }
                            }
                        }
                        return new Sites(more, t);
                    }));
        }
        return found;
    }

    /** Asks {@code sites} about {@code handle}, following referrals; the first reply that is no referral. */
    private CompletableFuture<Message> ask(String handle, List<String> types, int[] indexes, int flags, Bytes auth,
            List<SiteInfo> sites, Walk walk) {
        if (!walk.asked.add(new Asked(Handles.asciiUpper(handle), sites))) {
            throw new Failure(ResponseCode.RECURSION_COUNT_TOO_HIGH, "referral loop: " + handle
                    + " was referred back to a site already asked");
        }
        if (walk.startCount + walk.hops >= RecursionSettings.MAX_HOPS) {
            throw new Failure(ResponseCode.RECURSION_COUNT_TOO_HIGH, "more than " + RecursionSettings.MAX_HOPS
                    + " requests to resolve " + handle);
        }
        long left = walk.deadline - System.nanoTime();
        if (left <= 0) {
            throw new Failure(ResponseCode.CLIENT_TIME_OUT, "PROXY FAILED: no answer in "
                    + settings.timeout().toMillis() + " ms");
        }
        walk.hops++;
        walk.lastSites = sites;
        Message request = request(handle, types, indexes, flags, auth, walk.startCount + walk.hops);
        upstreamRequests.increment();
        return upstream.send(request, sites, handle, Duration.ofNanos(left)).handle((reply, err) -> {
            if (err != null) {
                Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                throw c instanceof TimeoutException
                        ? new Failure(ResponseCode.CLIENT_TIME_OUT, "PROXY FAILED: the next node did not answer "
                                + handle + " in time")
                        : new Failure(ResponseCode.CLIENT_CHANNEL_ERROR, "PROXY FAILED: the next node could not"
                                + " be reached for " + handle + ": " + c.getMessage());
            }
            return reply;
        }).thenCompose(reply -> follow(handle, types, indexes, flags, auth, reply, walk));
    }

    /** {@code reply} if it is no referral, else the reply of the sites it refers to. */
    private CompletableFuture<Message> follow(String handle, List<String> types, int[] indexes, int flags,
            Bytes auth, Message reply, Walk walk) {
        boolean service = reply.responseCode().equals(ResponseCode.SERVICE_REFERRAL);
        boolean prefix = reply.responseCode().equals(ResponseCode.PREFIX_REFERRAL);
        if (!service && !prefix) {
            return CompletableFuture.completedFuture(reply);
        }
        ReferralResponse referral = reply.body() instanceof ReferralResponse r ? r : new ReferralResponse("", List.of());
        CompletableFuture<Sites> next = prefix
                ? withServices(referral.values(), PREFIX_SITE_TYPES, ValueTypes.HS_SERV_PREFIX, walk)
                : withServices(referral.values(), SERVICE_TYPES, ValueTypes.HS_SERV, walk);
        return next.thenCompose(found -> {
            if (found.sites().isEmpty() && service && !referral.referralHandle().isEmpty()) {
                return sitesOf(Handles.governingPrefix(referral.referralHandle()), walk)
                        .thenApply(s -> new Sites(s, 0));
            }
            return CompletableFuture.completedFuture(found);
        }).thenCompose(found -> {
            if (found.sites().isEmpty()) {
                throw new Failure(ResponseCode.SERVER_NOT_RESPONSIBLE, "a referral for " + handle
                        + " named no site");
            }
            if (prefix && found.ttlNanos() > 0) {
                referrals.put(Handles.asciiUpper(handle), found);
            }
            return ask(handle, types, indexes, flags, auth, found.sites(), walk);
        });
    }

    private Message request(String handle, List<String> types, int[] indexes, int flags, Bytes auth, int count) {
        Requests base = Requests.madeAt(clock.instant()).withFlags(flags).withRecursionCount(Math.min(255, count));
        Message m = base.resolution(handle, types, indexes);
        return auth == null ? m : Message.of(m.envelope(), m.header(),
                new ResolutionRequest(handle, indexes, types, auth));
    }

    private Answer answerOf(Message reply) {
        ResponseCode rc = reply.responseCode();
        if (rc.equals(ResponseCode.SUCCESS) && reply.body() instanceof ResolutionResponse r) {
            long ttl = settings.maxTtl().toNanos();
            for (HandleValue v : r.values()) {
                ttl = Math.min(ttl, ttlNanos(v));
            }
            return new Answer(rc, r.values(), null, ttl);
        }
        if (rc.equals(ResponseCode.AUTHENTICATION_NEEDED)) {
            // The challenge is the next node's, for the client it cannot reach: restricted values stay there.
            return new Answer(ResponseCode.INSUFFICIENT_PERMISSIONS, List.of(), "restricted values are not resolved"
                    + " through a recursive node; ask the node that holds them", 0);
        }
        boolean missing = rc.equals(ResponseCode.HANDLE_NOT_FOUND) || rc.equals(ResponseCode.VALUES_NOT_FOUND);
        return new Answer(rc, List.of(), messageOf(reply), missing ? negativeTtl() : 0);
    }

    private Answer failed(Throwable err) {
        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (c instanceof Failure f) {
            return new Answer(f.code, List.of(), f.getMessage(),
                    f.code.equals(ResponseCode.HANDLE_NOT_FOUND) ? negativeTtl() : 0);
        }
        return new Answer(ResponseCode.ERROR, List.of(), "recursion failed: " + c, 0);
    }

    private long negativeTtl() {
        return Math.min(settings.negativeTtl().toNanos(), settings.maxTtl().toNanos());
    }

    /** The TTL of {@code v} in nanoseconds (§5.1: relative seconds, or an absolute time), at least 0. */
    private long ttlNanos(HandleValue v) {
        long seconds = v.ttlType() == HandleValue.TTL_ABSOLUTE
                ? (v.ttl() & 0xFFFF_FFFFL) - clock.millis() / 1000 : v.ttl();
        return Math.max(0, Math.min(seconds, settings.maxTtl().toSeconds())) * 1_000_000_000L;
    }

    private static boolean hasType(HandleValue v, String[] types) {
        for (String t : types) {
            if (v.type().equalsIgnoreCase(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messageOf(Message reply) {
        return reply.body() instanceof ErrorResponse e ? e.message() : reply.responseCode().toString();
    }

    /**
     * The key an answer to {@code req} is kept under, or null if it may not be kept. Requests with PO set and clear
     * are kept apart: without PO, only an answer the next node gave without a challenge (no restricted values) is
     * kept, as a 402 becomes 401 and is not kept.
     */
    private static String key(Message request, ResolutionRequest req) {
        if (request.hasFlag(OpFlags.RECURSION_AUTH) || req.authString() != null) {
            return null;
        }
        String handle = Handles.matchKey(req.handle());
        int[] indexes = req.indexes();
        if (indexes.length == 0 && req.types().isEmpty()) {
            return request.hasFlag(OpFlags.PUBLIC_ONLY) ? handle : "\0" + handle;
        }
        StringBuilder b = new StringBuilder(request.hasFlag(OpFlags.PUBLIC_ONLY) ? "" : "\0").append(handle)
                .append('\0').append(Arrays.toString(indexes));
        for (String t : req.types()) {
            b.append('\0').append(Handles.asciiUpper(t));
        }
        return b.toString();
    }

    /** Closes the connections to other nodes. */
    @Override
    public void close() {
        upstream.close();
    }
}
