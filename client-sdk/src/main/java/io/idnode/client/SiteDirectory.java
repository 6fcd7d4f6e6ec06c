package io.idnode.client;

import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which servers answer for a handle (handle-protocol.md §7). The configured sites, and the sites of the
 * configured nodes (asked of each node once with GET_SITE_INFO; until a node has answered, a provisional site of
 * its address stands in), are where the client starts. For a handle {@code P/S} the servers of prefix P are read
 * from the HS_SITE values of {@code 0.NA/P} there (§7.1) and kept for their TTL (1 minute to 1 hour); prefix
 * handles, handles without a prefix and a prefix record without HS_SITE values use the configured ones. Within a
 * site the server the handle hashes to comes first (§7.2), then the site's others; administration goes to
 * primary sites only. Thread-safe.
 */
final class SiteDirectory {
    private static final Duration MIN_TTL = Duration.ofMinutes(1);
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final int MAX_PREFIXES = 1024;
    /** Prefix referrals followed in one lookup at most (the stock client's limit is 40 hops, §4.3). */
    static final int MAX_REFERRALS = 20;

    private final Engine engine;
    private final List<Site> configured;
    private final ConcurrentMap<InetSocketAddress, Site> fetched = new ConcurrentHashMap<>();
    private final ConcurrentMap<InetSocketAddress, CompletableFuture<Site>> fetching = new ConcurrentHashMap<>();
    private final Map<String, Cached> prefixes = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_PREFIXES;
        }
    };

    /**
     * A site, its servers as endpoints in the site's order (null where a server is unusable), and the orders in
     * which they are asked, made once: for each kind of request ({@link #QUERY}, {@link #PRIMARY_QUERY},
     * {@link #ADMIN}) and each first server (§7.2), the servers that take it, that one first.
     */
    record Site(SiteInfo info, List<Endpoint> servers, List<List<List<Endpoint>>> orders) {
        static final int QUERY = 0;
        static final int PRIMARY_QUERY = 1;
        static final int ADMIN = 2;

        /** The servers taking requests of {@code kind}, the one {@code handle} hashes to first (null: the first). */
        List<Endpoint> order(int kind, String handle) {
            List<List<Endpoint>> byFirst = orders.get(kind);
            return byFirst.size() == 1 || handle == null ? byFirst.get(0)
                    : byFirst.get(info.serverIndexFor(handle));
        }
    }

    private record Cached(CompletableFuture<List<Site>> sites, long expiresMillis) {
    }

    /** The prefix looked up last, with its sites: {@code prefix} upper-cased. */
    private record Recent(String prefix, Cached entry) {
        boolean covers(String handle) {
            int n = prefix.length();
            if (handle.length() <= n || handle.charAt(n) != '/') {
                return false;
            }
            for (int k = 0; k < n; k++) {
                char a = handle.charAt(k);
                if (a != prefix.charAt(k) && !(a >= 'a' && a <= 'z' && a - ('a' - 'A') == prefix.charAt(k))) {
                    return false;
                }
            }
            return true;
        }
    }

    private volatile Recent recent;

    SiteDirectory(Engine engine) {
        this.engine = engine;
        List<Site> sites = new ArrayList<>();
        for (SiteInfo s : engine.settings.sites()) {
            sites.add(site(s));
        }
        this.configured = List.copyOf(sites);
    }

    /**
     * The servers to ask about {@code handle}, best first: for {@code admin} requests those of primary sites that
     * take administration over TCP, for {@code primaryOnly} those of primary sites, else every server that answers
     * queries. A lookup it needs ends by {@code deadline} ({@link System#nanoTime()} terms).
     */
    CompletableFuture<List<Endpoint>> endpoints(String handle, boolean admin, boolean primaryOnly, long deadline) {
        int kind = admin ? Site.ADMIN : primaryOnly ? Site.PRIMARY_QUERY : Site.QUERY;
        CompletableFuture<List<Site>> sites = sites(handle, deadline);
        if (sites.isDone() && !sites.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(order(sites.join(), handle, kind));
        }
        return sites.thenApply(found -> order(found, handle, kind));
    }

    /** The servers of the configured nodes and sites, as {@link #endpoints} orders them. */
    CompletableFuture<List<Endpoint>> configuredEndpoints(boolean admin, long deadline) {
        return start().thenApply(sites -> order(sites, null, admin ? Site.ADMIN : Site.QUERY));
    }

    private static List<Endpoint> order(List<Site> sites, String handle, int kind) {
        if (sites.size() == 1) {
            return sites.get(0).order(kind, handle);
        }
        List<Endpoint> out = new ArrayList<>();
        Set<InetSocketAddress> seen = new java.util.HashSet<>();
        for (Site site : sites) {
            for (Endpoint e : site.order(kind, handle)) {
                if (seen.add(e.key())) {
                    out.add(e);
                }
            }
        }
        return List.copyOf(out);
    }

    private CompletableFuture<List<Site>> sites(String handle, long deadline) {
        if (handle == null || !engine.settings.prefixLookup() || handle.indexOf('/') < 0
                || Handles.isPrefixHandle(handle) || handle.startsWith("0.")) {
            return start();
        }
        long now = engine.settings.clock().millis();
        Recent last = recent;
        if (last != null && last.covers(handle) && last.entry().expiresMillis() > now) {
            return last.entry().sites(); // a factory registers under one prefix: no key made, no map searched
        }
        String prefix = Handles.asciiUpper(Handles.prefixPart(handle));
        CompletableFuture<List<Site>> lookup;
        synchronized (prefixes) {
            Cached c = prefixes.get(prefix);
            if (c != null && c.expiresMillis() > now && !c.sites().isCompletedExceptionally()) {
                if (c.sites().isDone()) {
                    recent = new Recent(prefix, c);
                }
                return c.sites();
            }
            lookup = new CompletableFuture<>();
            // Until the lookup ends, requests under this prefix share it; a failed one is not kept.
            prefixes.put(prefix, new Cached(lookup, Long.MAX_VALUE));
        }
        start().thenCompose(start -> lookUp(prefix, start, deadline, 0)).whenComplete((sites, err) -> {
            synchronized (prefixes) {
                if (err != null) {
                    prefixes.remove(prefix);
                } else {
                    Cached found = new Cached(lookup, now + ttlMillis(sites.ttl()));
                    prefixes.put(prefix, found);
                    recent = new Recent(prefix, found);
                }
            }
            if (err != null) {
                lookup.completeExceptionally(Engine.unwrap(err));
            } else {
                lookup.complete(sites.sites());
            }
        });
        return lookup;
    }

    private record Found(List<Site> sites, long ttl) {
    }

    /**
     * The sites of {@code prefix} from the HS_SITE values of {@code 0.NA/prefix} at the starting sites, following
     * prefix referrals (303, §4.3: the sites of their HS_SITE.PREFIX or HS_NA_DELEGATE values) at most
     * {@value #MAX_REFERRALS} times.
     */
    private CompletableFuture<Found> lookUp(String prefix, List<Site> start, long deadline, int referrals) {
        String prefixHandle = Handles.prefixHandle(prefix);
        List<Endpoint> at = order(start, prefixHandle, Site.QUERY);
        ResolveRequest request = ResolveRequest.of(prefixHandle).withTypes(ValueTypes.HS_SITE, ValueTypes.HS_SITE_6);
        return new Ops.Resolve(engine, request, at).startNested(deadline).handle((resolution, err) -> {
            if (err != null) {
                Throwable c = Engine.unwrap(err);
                if (c instanceof Ops.Referred r && r.responseCode().equals(ResponseCode.PREFIX_REFERRAL)) {
                    List<Site> next = sitesOf(r.referral.values(), ValueTypes.HS_SITE_PREFIX,
                            ValueTypes.HS_NA_DELEGATE);
                    if (next.isEmpty() || referrals >= MAX_REFERRALS) {
                        throw new java.util.concurrent.CompletionException(new ResponseException("prefix " + prefix
                                + " could not be found: " + (next.isEmpty() ? r.server() + " referred to no site"
                                : "more than " + MAX_REFERRALS + " referrals"), r.responseCode(),
                                r.serverMessage(), prefixHandle, r.server()));
                    }
                    return new Found(next, -1);
                }
                if (c instanceof ResponseException r && r.responseCode().equals(ResponseCode.HANDLE_NOT_FOUND)) {
                    return new Found(start, MIN_TTL.toSeconds()); // a prefix homed without its record
                }
                if (c instanceof ResponseException r
                        && r.responseCode().equals(ResponseCode.SERVER_NOT_RESPONSIBLE)) {
                    throw new java.util.concurrent.CompletionException(new ResponseException("prefix " + prefix
                            + " is unknown: " + r.server() + " does not serve it and knows no site for it"
                            + " (" + r.responseCode() + "); check the prefix, or point the client at a node that"
                            + " serves it", r.responseCode(), r.serverMessage(), prefixHandle, r.server()));
                }
                throw new java.util.concurrent.CompletionException(c);
            }
            List<Site> sites = new ArrayList<>();
            long ttl = MAX_TTL.toSeconds();
            for (HandleValue v : resolution.values()) {
                if (!v.type().equalsIgnoreCase(ValueTypes.HS_SITE) && !v.type().equalsIgnoreCase(ValueTypes.HS_SITE_6)) {
                    continue;
                }
                try {
                    sites.add(site(SiteInfoCodec.decode(v.data())));
                } catch (CodecException e) {
                    continue; // a malformed site is skipped, as the stock client skips it
                }
                if (v.ttlType() == HandleValue.TTL_RELATIVE) {
                    ttl = Math.min(ttl, v.ttl());
                }
            }
            return sites.isEmpty() ? new Found(start, MIN_TTL.toSeconds()) : new Found(sites, ttl);
        }).thenCompose(found -> found.ttl() < 0 ? lookUp(prefix, found.sites(), deadline, referrals + 1)
                : CompletableFuture.completedFuture(found));
    }

    /** The sites described by the values of {@code types} among {@code values}; malformed ones are skipped. */
    private List<Site> sitesOf(List<HandleValue> values, String... types) {
        List<Site> sites = new ArrayList<>();
        for (HandleValue v : values) {
            for (String t : types) {
                if (v.type().equalsIgnoreCase(t)) {
                    try {
                        sites.add(site(SiteInfoCodec.decode(v.data())));
                    } catch (CodecException e) {
                        // skipped, as the stock client skips a malformed site
                    }
                    break;
                }
            }
        }
        return sites;
    }

    private static long ttlMillis(long seconds) {
        return Math.max(MIN_TTL.toMillis(), Math.min(MAX_TTL.toMillis(), seconds * 1000));
    }

    /** The configured sites and the sites of the configured nodes (fetched ones, or provisional ones for now). */
    private CompletableFuture<List<Site>> start() {
        List<InetSocketAddress> nodes = engine.settings.nodes();
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(configured);
        }
        List<CompletableFuture<Site>> each = new ArrayList<>(nodes.size());
        boolean allKnown = true;
        for (InetSocketAddress node : nodes) {
            Site known = fetched.get(node);
            allKnown &= known != null;
            each.add(known != null ? CompletableFuture.completedFuture(known) : fetch(node));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(each.toArray(new CompletableFuture[0]));
        return all.thenApply(x -> {
            List<Site> sites = new ArrayList<>();
            each.forEach(f -> sites.add(f.join()));
            sites.addAll(configured);
            return sites;
        });
    }

    /** The site of {@code node}, asked of it once; its provisional site while it does not answer. */
    private CompletableFuture<Site> fetch(InetSocketAddress node) {
        CompletableFuture<Site> pending = fetching.get(node);
        if (pending != null) {
            return pending;
        }
        CompletableFuture<Site> mine = new CompletableFuture<>();
        pending = fetching.putIfAbsent(node, mine);
        if (pending != null) {
            return pending;
        }
        Site provisional = site(Endpoint.provisionalSite(node));
        Message request = Requests.madeAt(engine.settings.clock().instant()).siteInfo();
        engine.sendTcp(provisional.servers().get(0), new Engine.Outgoing(request), null).whenComplete((reply, err) -> {
            Site site = provisional;
            if (err == null && reply.responseCode().equals(ResponseCode.SUCCESS)
                    && reply.body() instanceof SiteInfoResponse s && !s.siteInfo().servers().isEmpty()) {
                site = site(s.siteInfo());
                fetched.put(node, site);
            }
            fetching.remove(node, mine);
            mine.complete(site);
        });
        return mine;
    }

    private Site site(SiteInfo info) {
        List<Endpoint> servers = new ArrayList<>(info.servers().size());
        for (SiteInfo.ServerInfo s : info.servers()) {
            servers.add(Endpoint.of(info, s, engine.keyCodec));
        }
        List<List<List<Endpoint>>> orders = new ArrayList<>(3);
        for (int kind = Site.QUERY; kind <= Site.ADMIN; kind++) {
            List<List<Endpoint>> byFirst = new ArrayList<>(servers.size());
            for (int first = 0; first < Math.max(1, servers.size()); first++) {
                List<Endpoint> order = new ArrayList<>();
                boolean primaryOnly = kind != Site.QUERY;
                for (int k = 0; k < servers.size() && (info.primary() || !primaryOnly); k++) {
                    Endpoint e = servers.get((first + k) % servers.size());
                    if (e != null && (kind == Site.ADMIN ? e.admin() && e.tcp() != null : e.query())) {
                        order.add(e);
                    }
                }
                byFirst.add(List.copyOf(order));
            }
            orders.add(List.copyOf(byFirst));
        }
        return new Site(info, Collections.unmodifiableList(servers), List.copyOf(orders));
    }
}
