package io.idnode.server;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.idnode.cache.CacheSettings;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.SiteInfo;
import io.idnode.handler.session.SessionSettings;
import io.idnode.model.ValueReference;
import io.idnode.crypto.keys.KeyFiles;

import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ReplicationSettings;
import io.idnode.server.ratelimit.NetworkSet;
import io.idnode.sign.TrustRoot;
import io.idnode.sign.policy.SignaturePolicy;
import io.idnode.server.ratelimit.RateTable;
import io.idnode.server.ratelimit.SourceLimitSettings;
import io.idnode.server.recursion.RecursionSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import io.idnode.server.transport.TcpLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a node, immutable; made by {@link #builder()}, which starts from the defaults in
 * {@value NodeDefaults#RESOURCE} and whose setters each refuse nonsense with an
 * {@link InvalidSettingException} naming the setting. The session, cache and store settings are nested.
 */
public final class NodeConfig {
    /** Largest block cache, in MiB (1 TiB); more is a typo. */
    static final long MAX_BLOCK_CACHE_MIB = 1 << 20;
    /** Largest memory budget of the limits, in MiB (64 GiB); more is a typo. */
    static final long MAX_BUDGET_MIB = 1 << 16;
    /** Smallest UDP reply limit: one datagram of the protocol (handle-protocol.md §1.3), as DNS's. */
    static final int MIN_UDP_MAX_REPLY = 512;
    static final int MAX_UDP_SLIP = 100;
    static final int MIN_RATE_TABLE = 16;
    static final int MAX_RATE_TABLE = 1 << 24;

    private final Path dataDir;
    private final InetAddress bindAddress;
    private final InetAddress advertiseAddress;
    private final int port;
    private final List<String> prefixes;
    private final boolean demo;
    private final Duration tcpIdleTimeout;
    private final int eventLoops;
    private final List<ValueReference> admins;
    private final SignaturePolicy signaturePolicy;

    private final List<SiteInfo> roots;
    private final SessionSettings sessions;
    private final CacheSettings cache;
    private final StoreSettings store;
    private final int auditRefusalsPerSecond;
    private final LimitSettings limits;
    private final int tcpSessionInFlight;
    private final Clock clock;
    private final Ticker ticker;
    private MeterRegistry meters;
    private final SourceLimitSettings sourceLimits;
    private final boolean http;
    private final int httpPort;
    private final int httpsPort;
    private final Path httpsCert;
    private final Path httpsKey;

    private final NodeKeyType keyType;

    private final ClusterConfig cluster;
    private final String clusterMember;
    private final boolean clusterJoin;

    private final RecursionSettings recursion;

    private final ReplicationSettings replication;

    private NodeConfig(Builder b) {
        this.dataDir = b.dataDir;
        this.bindAddress = b.bindAddress;
        this.advertiseAddress = b.advertiseAddress != null ? b.advertiseAddress
                : b.bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : b.bindAddress;
        this.port = b.port;
        this.prefixes = b.prefixes;
        this.demo = b.demo;
        this.tcpIdleTimeout = b.tcpIdleTimeout;
        this.eventLoops = b.eventLoops;
        this.admins = b.admins;
        this.signaturePolicy = b.signaturePolicy;

        this.roots = b.roots;
        this.sessions = new SessionSettings(b.maxSessions, b.maxSessionsPerSource, b.sessionTimeout);
        this.cache = b.cacheMaxRecords == 0 ? null
                : CacheSettings.builder().maximumSize(b.cacheMaxRecords).ticker(b.ticker).clock(b.clock).build();
        this.store = new StoreSettings(b.blockCacheMib << 20);
        this.auditRefusalsPerSecond = b.auditRefusalsPerSecond;
        this.limits = new LimitSettings(b.challengeMemoryMib << 20, b.queueMemoryMib << 20, b.queueWait,
                b.reassemblyMemoryMib << 20, b.tcpFrameMemoryMib << 20, b.tcpMaxConnections,
                b.tcpMaxConnectionsPerSource, b.tcpRequestTimeout);
        this.tcpSessionInFlight = b.tcpSessionInFlight;
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.meters = b.meters;
        this.sourceLimits = new SourceLimitSettings(b.udpMaxReply, b.udpRate, b.udpSlip, b.signatureRate,
                b.ipv4NetworkBits, b.ipv6NetworkBits, b.rateTableSize, b.exemptNetworks);
        this.http = b.http;
        this.httpPort = b.httpPort;
        this.httpsPort = b.httpsPort;
        this.httpsCert = b.httpsCert;
        this.httpsKey = b.httpsKey;

        this.keyType = b.keyType;

        this.cluster = b.cluster;
        this.clusterMember = b.clusterMember;
        this.replication = b.replication;
        this.clusterJoin = b.clusterJoin;

        if (b.recursive && b.roots.isEmpty()) {
            throw new InvalidSettingException("recursive", "needs --root FILE: the top-level node(s) to resolve from");
        }
        this.recursion = !b.recursive ? null : new RecursionSettings(b.roots, b.recursionTimeout,
                b.recursionNegativeTtl, b.recursionMaxTtl, b.recursionCache, b.recursionRate);
    }

    /**
     * The recursion of a recursive node ({@code recursive} and the {@code recursion-*} settings), if it is one:
     * it resolves handles it does not hold by asking the tree from its roots.
     */
    public Optional<RecursionSettings> recursion() {
        return Optional.ofNullable(recursion);
    }

    /** The replicated service this node is a member of ({@code cluster}), if any; else a single node. */
    public Optional<ClusterConfig> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** How this node runs as a member of {@link #cluster()}: write timeout, elections, snapshots. */
    public ReplicationSettings replication() {
        return replication;
    }

    /** This node's member id in {@link #cluster()} ({@code member}), or null for a single node. */
    public String clusterMember() {
        return clusterMember;
    }

    /**
     * Whether this member joins a running group ({@code join}): it then starts outside the group's configuration
     * and waits for {@code idnode cluster add} instead of standing for election.
     */
    public boolean clusterJoin() {
        return clusterJoin;
    }

    /** A builder starting from the defaults of {@value NodeDefaults#RESOURCE}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Folder of the RocksDB store, keys, site files and audit log ({@code data}). */
    public Path dataDir() {
        return dataDir;
    }

    /** Address to listen on, UDP and TCP ({@code bind}). */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** Address published in the node's HS_SITE: as set, else the bind address, or loopback for a wildcard. */
    public InetAddress advertiseAddress() {
        return advertiseAddress;
    }

    /** UDP and TCP port; 0 picks a free one ({@code port}). */
    public int port() {
        return port;
    }

    /** Prefixes homed here, at least one; the first receives the demo records ({@code prefix}). */
    public List<String> prefixes() {
        return prefixes;
    }

    /** Whether example identifiers are created on start ({@code demo}). */
    public boolean demo() {
        return demo;
    }

    /** How long an idle TCP connection stays open ({@code tcp-idle}). */
    public Duration tcpIdleTimeout() {
        return tcpIdleTimeout;
    }

    /** Number of I/O threads; 0 means one per core ({@code threads}). */
    public int eventLoops() {
        return eventLoops;
    }

    /** Node administrators who may do everything; index 0 means any index of the handle ({@code admin}). */
    public List<ValueReference> admins() {
        return admins;
    }

    /** Prefixes whose records must carry a valid signature chained to their roots ({@code signed-prefix}). */
    public SignaturePolicy signaturePolicy() {
        return signaturePolicy;
    }

    /**
     * Reads one {@code signed-prefix} setting, {@code PREFIX=ROOT[,ROOT...]} where a ROOT is a public-key PEM
     * file trusted at any root handle, or {@code HANDLE@FILE} trusted at that root handle only (e.g.
     * {@code 88.111.1/0.0@root.pub.pem}).
     *
     * @throws InvalidSettingException naming the form, or the key file that does not read
     */
    public static SignaturePolicy addSignedPrefix(SignaturePolicy policy, String spec, KeyFiles keyFiles) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1 || spec.substring(0, eq).contains("/")) {
            throw new InvalidSettingException("signed-prefix", "must be PREFIX=ROOT[,ROOT...] with ROOT a public-key"
                    + " PEM file or HANDLE@FILE, was '" + spec + "'");
        }
        List<TrustRoot> roots = new ArrayList<>();
        for (String root : spec.substring(eq + 1).split(",")) {
            int at = root.indexOf('@');
            String handle = at < 0 ? null : root.substring(0, at);
            Path file = Path.of(root.substring(at + 1));
            try {
                roots.add(new TrustRoot(handle, keyFiles.readPublicKeyPem(file)));
            } catch (IOException e) {
                throw new InvalidSettingException("signed-prefix", "root key " + file + " does not read: "
                        + e.getMessage());
            }
        }
        return policy.with(spec.substring(0, eq), roots);
    }

    /** Sites of the trusted top-level nodes, where identities kept elsewhere are looked up ({@code root}). */
    public List<SiteInfo> roots() {
        return roots;
    }

    /** Limits of the session table ({@code max-sessions}, {@code max-sessions-per-source}, {@code session-timeout}). */
    public SessionSettings sessions() {
        return sessions;
    }

    /** Settings of the hot cache, or empty when it is off ({@code cache} 0). */
    public Optional<CacheSettings> cache() {
        return Optional.ofNullable(cache);
    }

    /** Settings of the RocksDB store ({@code block-cache}). */
    public StoreSettings store() {
        return store;
    }

    /** Refused operations written to the audit log per second; more are only counted ({@code audit-refusals}). */
    public int auditRefusalsPerSecond() {
        return auditRefusalsPerSecond;
    }

    /** Bounds on what remote parties can make the node hold and do (memory budgets, connections, timeouts). */
    public LimitSettings limits() {
        return limits;
    }

    /**
     * Requests one TCP connection carrying an authenticated session may have waiting for the blocking executor
     * at once ({@code tcp-session-in-flight}); a stranger's connection, {@link TcpLimits#MAX_IN_FLIGHT}.
     */
    public int tcpSessionInFlight() {
        return tcpSessionInFlight;
    }

    /** Wall-clock time of the node: value timestamps, session expiry, absolute TTLs in the cache. */
    public Clock clock() {
        return clock;
    }

    /** Elapsed time of the node: the lifetime of pending challenges and of cached records. */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Where the node counts what it does and refuses (requests, refusals by reason, queue depths): by default a
     * Prometheus registry, which {@code /metrics} shows.
     */
    public synchronized MeterRegistry meters() {
        // Made on first use, not with the settings: a registry starts logging, and the command line settles
        // where the logs go only after it has read the settings.
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        return meters;
    }

    /**
     * Limits per source network: UDP rate and reply size, signature budget ({@code udp-max-reply}, {@code udp-rate},
     * {@code udp-slip}, {@code signature-rate}, {@code ipv4-network-bits}, {@code ipv6-network-bits},
     * {@code rate-table-size}, {@code exempt-networks}).
     */
    public SourceLimitSettings sourceLimits() {
        return sourceLimits;
    }

    /** Whether the node serves HTTP: the JSON API, native messages, pages ({@code no-http} turns it off). */
    public boolean http() {
        return http;
    }

    /** Port of the HTTP front; 0 picks a free one ({@code http-port}). */
    public int httpPort() {
        return httpPort;
    }

    /** Port of the HTTPS front, 0 picks a free one, -1 when there is none ({@code https-port}; needs HTTP on). */
    public int httpsPort() {
        return httpsPort;
    }

    /** PEM certificate chain of the HTTPS port, null for the one made in the data folder ({@code https-cert}). */
    public Path httpsCert() {
        return httpsCert;
    }

    /** PEM (PKCS#8) key of {@link #httpsCert()}, null with it ({@code https-key}). */
    public Path httpsKey() {
        return httpsKey;
    }

    /** Type of the node key made at first start, which signs replies to certified requests ({@code key-type}). */
    public NodeKeyType keyType() {
        return keyType;
    }

    /** Parses a node administrator {@code INDEX:HANDLE}, e.g. {@code 300:0.NA/88.100.1} (setting {@code admin}). */
    public static ValueReference parseAdmin(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new InvalidSettingException("admin", "must be INDEX:HANDLE, e.g. 300:0.NA/88.100.1, was '" + spec
                    + "'");
        }
        int index;
        try {
            index = Integer.parseInt(spec.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("admin", "must be INDEX:HANDLE with a number as INDEX, e.g."
                    + " 300:0.NA/88.100.1, was '" + spec + "'");
        }
        return checkAdmin(new ValueReference(spec.substring(colon + 1), index));
    }

    private static ValueReference checkAdmin(ValueReference admin) {
        Objects.requireNonNull(admin, "admin");
        if (admin.index() < 0 || admin.handle().isEmpty()) {
            throw new InvalidSettingException("admin", "must have an index of 0 or more and a handle, was '" + admin
                    + "'");
        }
        return admin;
    }

    /**
     * Builds a {@link NodeConfig}. Each setter checks its argument and names the setting (its key in
     * {@value NodeDefaults#RESOURCE}, also its command-line option) in the {@link InvalidSettingException}.
     */
    public static final class Builder {
        private Path dataDir;
        private InetAddress bindAddress;
        private InetAddress advertiseAddress;
        private int port;
        private List<String> prefixes;
        private boolean demo;
        private Duration tcpIdleTimeout;
        private int eventLoops;
        private long cacheMaxRecords;
        private long blockCacheMib;
        private List<ValueReference> admins;
        private SignaturePolicy signaturePolicy = SignaturePolicy.NONE;

        private List<SiteInfo> roots = List.of();
        private int maxSessions;
        private Duration sessionTimeout;
        private int auditRefusalsPerSecond;
        private int maxSessionsPerSource;
        private long challengeMemoryMib;
        private long queueMemoryMib;
        private Duration queueWait;
        private long reassemblyMemoryMib;
        private long tcpFrameMemoryMib;
        private int tcpMaxConnections;
        private int tcpMaxConnectionsPerSource;
        private Duration tcpRequestTimeout;
        private int tcpSessionInFlight;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.systemTicker();
        private MeterRegistry meters;
        private int udpMaxReply;
        private int udpRate;
        private int udpSlip;
        private int signatureRate;
        private int ipv4NetworkBits;
        private int ipv6NetworkBits;
        private int rateTableSize;
        private NetworkSet exemptNetworks;
        private boolean http;
        private int httpPort;
        private int httpsPort;
        private Path httpsCert;
        private Path httpsKey;

        private NodeKeyType keyType;

        private ClusterConfig cluster;
        private String clusterMember;
        private boolean clusterJoin;

        private boolean recursive;
        private Duration recursionTimeout;
        private int recursionRate;
        private Duration recursionNegativeTtl;
        private Duration recursionMaxTtl;
        private long recursionCache;

        private ReplicationSettings replication = ReplicationSettings.DEFAULTS;

        private Builder() {
            // The defaults go through the setters, so the file is held to the same rules as any caller.
            dataDir(Path.of(NodeDefaults.value("data")));
            bindAddress(literalAddress(NodeDefaults.value("bind")));
            String advertise = NodeDefaults.value("advertise");
            advertiseAddress(advertise.isEmpty() ? null : literalAddress(advertise));
            port(Integer.parseInt(NodeDefaults.value("port")));
            prefixes(List.of(NodeDefaults.value("prefix")));
            demo(Boolean.parseBoolean(NodeDefaults.value("demo")));
            tcpIdleTimeout(Duration.ofSeconds(Long.parseLong(NodeDefaults.value("tcp-idle"))));
            eventLoops(Integer.parseInt(NodeDefaults.value("threads")));
            cacheMaxRecords(Long.parseLong(NodeDefaults.value("cache")));
            storeBlockCacheMib(Long.parseLong(NodeDefaults.value("block-cache")));
            String admin = NodeDefaults.value("admin");
            admins(admin.isEmpty() ? List.of() : List.of(parseAdmin(admin)));
            String root = NodeDefaults.value("root");
            roots(root.isEmpty() ? List.of() : List.of(Path.of(root)));
            maxSessions(Integer.parseInt(NodeDefaults.value("max-sessions")));
            sessionTimeout(Duration.ofSeconds(Long.parseLong(NodeDefaults.value("session-timeout"))));
            auditRefusalsPerSecond(Integer.parseInt(NodeDefaults.value("audit-refusals")));
            maxSessionsPerSource(Integer.parseInt(NodeDefaults.value("max-sessions-per-source")));
            challengeMemoryMib(Long.parseLong(NodeDefaults.value("challenge-memory")));
            queueMemoryMib(Long.parseLong(NodeDefaults.value("queue-memory")));
            queueWait(Duration.ofMillis(Long.parseLong(NodeDefaults.value("queue-wait"))));
            reassemblyMemoryMib(Long.parseLong(NodeDefaults.value("reassembly-memory")));
            tcpFrameMemoryMib(Long.parseLong(NodeDefaults.value("tcp-frame-memory")));
            raftSnapshots(Long.parseLong(NodeDefaults.value("raft-snapshot-every")),
                    Long.parseLong(NodeDefaults.value("raft-segment-bytes")));
            tcpMaxConnections(Integer.parseInt(NodeDefaults.value("tcp-max-connections")));
            tcpMaxConnectionsPerSource(Integer.parseInt(NodeDefaults.value("tcp-max-connections-per-source")));
            tcpRequestTimeout(Duration.ofSeconds(Long.parseLong(NodeDefaults.value("tcp-request-timeout"))));
            tcpSessionInFlight(Integer.parseInt(NodeDefaults.value("tcp-session-in-flight")));
            udpMaxReply(Integer.parseInt(NodeDefaults.value("udp-max-reply")));
            udpRate(Integer.parseInt(NodeDefaults.value("udp-rate")));
            udpSlip(Integer.parseInt(NodeDefaults.value("udp-slip")));
            signatureRate(Integer.parseInt(NodeDefaults.value("signature-rate")));
            ipv4NetworkBits(Integer.parseInt(NodeDefaults.value("ipv4-network-bits")));
            ipv6NetworkBits(Integer.parseInt(NodeDefaults.value("ipv6-network-bits")));
            rateTableSize(Integer.parseInt(NodeDefaults.value("rate-table-size")));
            exemptNetworks(List.of(NodeDefaults.value("exempt-networks").split(",")));
            http(!Boolean.parseBoolean(NodeDefaults.value("no-http")));
            httpPort(Integer.parseInt(NodeDefaults.value("http-port")));
            String https = NodeDefaults.value("https-port");
            httpsPort(https.isEmpty() ? -1 : Integer.parseInt(https));
            String cert = NodeDefaults.value("https-cert");
            String key = NodeDefaults.value("https-key");
            httpsCertificate(cert.isEmpty() ? null : Path.of(cert), key.isEmpty() ? null : Path.of(key));

            keyType(NodeKeyType.parse(NodeDefaults.value("key-type")));

            recursive(Boolean.parseBoolean(NodeDefaults.value("recursive")));
            recursionTimeout(Duration.ofMillis(Long.parseLong(NodeDefaults.value("recursion-timeout"))));
            recursionRate(Integer.parseInt(NodeDefaults.value("recursion-rate")));
            recursionNegativeTtl(Duration.ofSeconds(Long.parseLong(NodeDefaults.value("recursion-negative-ttl"))));
            recursionMaxTtl(Duration.ofSeconds(Long.parseLong(NodeDefaults.value("recursion-max-ttl"))));
            recursionCache(Long.parseLong(NodeDefaults.value("recursion-cache")));
        }

        /** Whether the node resolves handles it does not hold by asking the tree from its roots ({@code recursive}). */
        public Builder recursive(boolean on) {
            this.recursive = on;
            return this;
        }

        /** Longest time one recursive answer may take, 100 ms..60 s ({@code recursion-timeout}); then 602. */
        public Builder recursionTimeout(Duration timeout) {
            required("recursion-timeout", timeout);
            if (timeout.toMillis() < 100 || timeout.toMillis() > 60_000) {
                throw new InvalidSettingException("recursion-timeout", "must be 100..60000 ms, was "
                        + timeout.toMillis());
            }
            this.recursionTimeout = timeout;
            return this;
        }

        /**
         * Resolutions a second one source network may make a recursive node ask other nodes about, 1..{@value
         * RateTable#MAX_RATE} ({@code recursion-rate}); answers it keeps do not count.
         */
        public Builder recursionRate(int rate) {
            if (rate < 1 || rate > RateTable.MAX_RATE) {
                throw new InvalidSettingException("recursion-rate", "must be 1.." + RateTable.MAX_RATE
                        + " a second, was " + rate);
            }
            this.recursionRate = rate;
            return this;
        }

        /** How long a recursive node keeps a not-found answer, 0..3600 s ({@code recursion-negative-ttl}). */
        public Builder recursionNegativeTtl(Duration ttl) {
            this.recursionNegativeTtl = ttlSetting("recursion-negative-ttl", ttl, 3600);
            return this;
        }

        /** Longest a recursive node keeps any answer or referral, 0..86400 s ({@code recursion-max-ttl}). */
        public Builder recursionMaxTtl(Duration ttl) {
            this.recursionMaxTtl = ttlSetting("recursion-max-ttl", ttl, 86_400);
            return this;
        }

        /** Answers a recursive node keeps at most, 16..10^8 ({@code recursion-cache}). */
        public Builder recursionCache(long entries) {
            if (entries < 16 || entries > 100_000_000L) {
                throw new InvalidSettingException("recursion-cache", "must be 16..100000000, was " + entries);
            }
            this.recursionCache = entries;
            return this;
        }

        private static Duration ttlSetting(String setting, Duration ttl, long maxSeconds) {
            required(setting, ttl);
            if (ttl.isNegative() || ttl.getSeconds() > maxSeconds) {
                throw new InvalidSettingException(setting, "must be 0.." + maxSeconds + " seconds, was "
                        + ttl.getSeconds());
            }
            return ttl;
        }

        private static InetAddress literalAddress(String address) {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(NodeDefaults.RESOURCE + " has an address that does not resolve: "
                        + address, e);
            }
        }

        /** Folder of the store, keys, site files and audit log ({@code data}). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = required("data", dataDir);
            return this;
        }

        /** Address to listen on ({@code bind}); a wildcard listens on every interface. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = required("bind", bindAddress);
            return this;
        }

        /** Address published in the HS_SITE ({@code advertise}); null: the bind address, loopback for a wildcard. */
        public Builder advertiseAddress(InetAddress advertiseAddress) {
            if (advertiseAddress != null && advertiseAddress.isAnyLocalAddress()) {
                throw new InvalidSettingException("advertise", "must be an address clients can reach, not the"
                        + " wildcard " + advertiseAddress.getHostAddress());
            }
            this.advertiseAddress = advertiseAddress;
            return this;
        }

        /** UDP and TCP port, 0..65535; 0 picks a free one ({@code port}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidSettingException("port", "must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Prefixes homed here, at least one, like {@code 88.100.1}; the first gets the demo ({@code prefix}). */
        public Builder prefixes(List<String> prefixes) {
            required("prefix", prefixes);
            if (prefixes.isEmpty()) {
                throw new InvalidSettingException("prefix", "needs at least one prefix, e.g. 88.100.1");
            }
            for (String p : prefixes) {
                if (p == null || p.isEmpty() || p.indexOf('/') >= 0) {
                    throw new InvalidSettingException("prefix", "must be like 88.100.1 (no '/'), was '" + p + "'");
                }
            }
            this.prefixes = List.copyOf(prefixes);
            return this;
        }

        /** Whether to create example identifiers under the first prefix on start ({@code demo}). */
        public Builder demo(boolean demo) {
            this.demo = demo;
            return this;
        }

        /** How long a TCP connection stays open without a request; positive ({@code tcp-idle}). */
        public Builder tcpIdleTimeout(Duration timeout) {
            required("tcp-idle", timeout);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidSettingException("tcp-idle", "must be positive, was " + seconds(timeout));
            }
            this.tcpIdleTimeout = timeout;
            return this;
        }

        /** Number of I/O threads; 0 means one per core ({@code threads}). */
        public Builder eventLoops(int eventLoops) {
            if (eventLoops < 0) {
                throw new InvalidSettingException("threads", "must be 0 (one per core) or more, was " + eventLoops);
            }
            this.eventLoops = eventLoops;
            return this;
        }

        /** Records kept in the hot cache; 0 turns the cache off ({@code cache}). */
        public Builder cacheMaxRecords(long records) {
            if (records < 0) {
                throw new InvalidSettingException("cache", "must be 0 (no cache) or more records, was " + records);
            }
            this.cacheMaxRecords = records;
            return this;
        }

        /** MiB of RocksDB's block cache, 1..1048576 ({@code block-cache}). */
        public Builder storeBlockCacheMib(long mib) {
            if (mib < 1 || mib > MAX_BLOCK_CACHE_MIB) {
                throw new InvalidSettingException("block-cache", "must be 1.." + MAX_BLOCK_CACHE_MIB + " MiB, was "
                        + mib);
            }
            this.blockCacheMib = mib;
            return this;
        }

        /**
         * The site files ({@code siteinfo.bin} or {@code siteinfo.json}, handle-protocol.md §5.3, §8) of the
         * top-level nodes trusted as the root of the tree ({@code root}); read at once.
         */
        public Builder roots(List<Path> files) {
            required("root", files);
            List<SiteInfo> sites = new ArrayList<>();
            for (Path f : files) {
                sites.add(readSite(f));
            }
            return rootSites(sites);
        }

        /** The sites of the trusted top-level nodes themselves ({@code root}). */
        public Builder rootSites(List<SiteInfo> sites) {
            required("root", sites);
            for (SiteInfo s : sites) {
                if (s.servers().isEmpty()) {
                    throw new InvalidSettingException("root", "a root site must describe at least one server");
                }
            }
            this.roots = List.copyOf(sites);
            return this;
        }

        private static SiteInfo readSite(Path file) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InvalidSettingException("root", "cannot read " + file + ": " + e.getMessage());
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                return text.startsWith("{") ? RecordJsonReader.STANDARD.readSite(text) : SiteInfoCodec.decode(bytes);
            } catch (JsonFormatException | CodecException e) {
                throw new InvalidSettingException("root", file + " is not a site file (siteinfo.bin or "
                        + "siteinfo.json): " + e.getMessage());
            }
        }

        /** Node administrators who may do everything; index 0 means any index of the handle ({@code admin}). */
        public Builder admins(List<ValueReference> admins) {
            required("admin", admins);
            admins.forEach(NodeConfig::checkAdmin);
            this.admins = List.copyOf(admins);
            return this;
        }

        /** Prefixes whose records must carry a valid signature, checked at write time ({@code signed-prefix}). */
        public Builder signaturePolicy(SignaturePolicy policy) {
            this.signaturePolicy = Objects.requireNonNull(policy, "signed-prefix");
            return this;
        }

        /** Live sessions kept at once, at least 1 ({@code max-sessions}). */
        public Builder maxSessions(int maxSessions) {
            if (maxSessions < 1) {
                throw new InvalidSettingException("max-sessions", "must be at least 1, was " + maxSessions);
            }
            this.maxSessions = maxSessions;
            return this;
        }

        /** Longest session timeout granted, at least 1 s; also a session's longest life ({@code session-timeout}). */
        public Builder sessionTimeout(Duration timeout) {
            required("session-timeout", timeout);
            if (timeout.getSeconds() < 1) {
                throw new InvalidSettingException("session-timeout", "must be at least 1 second, was "
                        + seconds(timeout));
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** Refused operations written to the audit log per second, 0 or more ({@code audit-refusals}). */
        public Builder auditRefusalsPerSecond(int perSecond) {
            if (perSecond < 0) {
                throw new InvalidSettingException("audit-refusals", "must be 0 (count only) or more, was " + perSecond);
            }
            this.auditRefusalsPerSecond = perSecond;
            return this;
        }

        /** Live sessions set up from one address, at least 1 ({@code max-sessions-per-source}). */
        public Builder maxSessionsPerSource(int max) {
            this.maxSessionsPerSource = atLeastOne("max-sessions-per-source", max);
            return this;
        }

        /** MiB of requests held while their challenge waits for an answer ({@code challenge-memory}). */
        public Builder challengeMemoryMib(long mib) {
            this.challengeMemoryMib = budgetMib("challenge-memory", mib);
            return this;
        }

        /** MiB of requests waiting for the blocking executor ({@code queue-memory}). */
        public Builder queueMemoryMib(long mib) {
            this.queueMemoryMib = budgetMib("queue-memory", mib);
            return this;
        }

        /** Longest a request waits for the blocking executor before it is answered 3; positive ({@code queue-wait}). */
        public Builder queueWait(Duration wait) {
            required("queue-wait", wait);
            if (wait.isNegative() || wait.isZero()) {
                throw new InvalidSettingException("queue-wait", "must be positive, was " + wait.toMillis() + " ms");
            }
            this.queueWait = wait;
            return this;
        }

        /** MiB of chunks of incomplete multi-packet UDP messages ({@code reassembly-memory}). */
        public Builder reassemblyMemoryMib(long mib) {
            this.reassemblyMemoryMib = budgetMib("reassembly-memory", mib);
            return this;
        }

        /** MiB of buffers of TCP frames in progress, across connections ({@code tcp-frame-memory}). */
        public Builder tcpFrameMemoryMib(long mib) {
            this.tcpFrameMemoryMib = budgetMib("tcp-frame-memory", mib);
            return this;
        }

        /** TCP connections open at once, at least 1 ({@code tcp-max-connections}). */
        public Builder tcpMaxConnections(int max) {
            this.tcpMaxConnections = atLeastOne("tcp-max-connections", max);
            return this;
        }

        /** TCP connections open at once from one address, at least 1 ({@code tcp-max-connections-per-source}). */
        public Builder tcpMaxConnectionsPerSource(int max) {
            this.tcpMaxConnectionsPerSource = atLeastOne("tcp-max-connections-per-source", max);
            return this;
        }

        /**
         * Longest a TCP connection may take to complete a request it began or to take its replies, at least 1 s
         * ({@code tcp-request-timeout}).
         */
        public Builder tcpRequestTimeout(Duration timeout) {
            required("tcp-request-timeout", timeout);
            if (timeout.getSeconds() < 1) {
                throw new InvalidSettingException("tcp-request-timeout", "must be at least 1 second, was "
                        + seconds(timeout));
            }
            this.tcpRequestTimeout = timeout;
            return this;
        }

        /**
         * Requests one TCP connection may have waiting for the blocking executor at once once it carries an
         * authenticated session, {@value TcpLimits#MAX_IN_FLIGHT}..{@value TcpLimits#MAX_SESSION_IN_FLIGHT}
         * (strangers' connections: {@value TcpLimits#MAX_IN_FLIGHT}) ({@code tcp-session-in-flight}).
         */
        public Builder tcpSessionInFlight(int max) {
            if (max < TcpLimits.MAX_IN_FLIGHT || max > TcpLimits.MAX_SESSION_IN_FLIGHT) {
                throw new InvalidSettingException("tcp-session-in-flight", "must be " + TcpLimits.MAX_IN_FLIGHT
                        + " to " + TcpLimits.MAX_SESSION_IN_FLIGHT + ", was " + max);
            }
            this.tcpSessionInFlight = max;
            return this;
        }

        /** Largest UDP reply sent as is, in bytes, at least 512; larger ones send the client to TCP ({@code udp-max-reply}). */
        public Builder udpMaxReply(int bytes) {
            if (bytes < MIN_UDP_MAX_REPLY) {
                throw new InvalidSettingException("udp-max-reply", "must be at least " + MIN_UDP_MAX_REPLY
                        + " bytes, was " + bytes);
            }
            this.udpMaxReply = bytes;
            return this;
        }

        /** UDP replies a second per source network, 0 (no limit)..{@value RateTable#MAX_RATE} ({@code udp-rate}). */
        public Builder udpRate(int rate) {
            this.udpRate = rate("udp-rate", rate);
            return this;
        }

        /** Every how many UDP requests above the rate one is sent to TCP, 0 (never)..100 ({@code udp-slip}). */
        public Builder udpSlip(int slip) {
            if (slip < 0 || slip > MAX_UDP_SLIP) {
                throw new InvalidSettingException("udp-slip", "must be 0 (drop all).." + MAX_UDP_SLIP + ", was " + slip);
            }
            this.udpSlip = slip;
            return this;
        }

        /** Replies signed with the node key a second per source network, 0 (no limit) or more ({@code signature-rate}). */
        public Builder signatureRate(int rate) {
            this.signatureRate = rate("signature-rate", rate);
            return this;
        }

        /** Leading bits of an IPv4 source naming its network, 1..32 ({@code ipv4-network-bits}). */
        public Builder ipv4NetworkBits(int bits) {
            this.ipv4NetworkBits = bits("ipv4-network-bits", bits, 32);
            return this;
        }

        /** Leading bits of an IPv6 source naming its network, 1..64 ({@code ipv6-network-bits}). */
        public Builder ipv6NetworkBits(int bits) {
            this.ipv6NetworkBits = bits("ipv6-network-bits", bits, 64);
            return this;
        }

        /** Source networks each rate table tracks, 16..16777216, 8 bytes each ({@code rate-table-size}). */
        public Builder rateTableSize(int entries) {
            if (entries < MIN_RATE_TABLE || entries > MAX_RATE_TABLE) {
                throw new InvalidSettingException("rate-table-size", "must be " + MIN_RATE_TABLE + ".."
                        + MAX_RATE_TABLE + " entries, was " + entries);
            }
            this.rateTableSize = entries;
            return this;
        }

        /** Source networks no limit applies to, as {@code ADDRESS/BITS}; none if empty ({@code exempt-networks}). */
        public Builder exemptNetworks(List<String> networks) {
            required("exempt-networks", networks);
            try {
                this.exemptNetworks = NetworkSet.parse(networks);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("exempt-networks", "must list networks as ADDRESS/BITS, but "
                        + e.getMessage());
            }
            return this;
        }

        /** Type of the node key made at first start ({@code key-type}); a key already made keeps its type. */
        public Builder keyType(NodeKeyType type) {
            this.keyType = required("key-type", type);
            return this;
        }

        private static int rate(String setting, int rate) {
            if (rate < 0 || rate > RateTable.MAX_RATE) {
                throw new InvalidSettingException(setting, "must be 0 (no limit).." + RateTable.MAX_RATE
                        + " a second, was " + rate);
            }
            return rate;
        }

        private static int bits(String setting, int bits, int max) {
            if (bits < 1 || bits > max) {
                throw new InvalidSettingException(setting, "must be 1.." + max + ", was " + bits);
            }
            return bits;
        }

        /** Whether the node serves HTTP ({@code no-http} is its negation). */
        public Builder http(boolean http) {
            this.http = http;
            return this;
        }

        /** Port of the HTTP front, 0..65535; 0 picks a free one ({@code http-port}). */
        public Builder httpPort(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidSettingException("http-port", "must be 0..65535, was " + port);
            }
            this.httpPort = port;
            return this;
        }

        /** Port of the HTTPS front, 0..65535 (0 picks a free one), or -1 for none ({@code https-port}). */
        public Builder httpsPort(int port) {
            if (port < -1 || port > 65535) {
                throw new InvalidSettingException("https-port", "must be 0..65535, was " + port);
            }
            this.httpsPort = port;
            return this;
        }

        /**
         * The HTTPS certificate chain and its key, PEM files given together ({@code https-cert}, {@code https-key});
         * both null: a self-signed certificate made in the data folder's keys at first start.
         */
        public Builder httpsCertificate(Path cert, Path key) {
            if ((cert == null) != (key == null)) {
                throw new InvalidSettingException(cert == null ? "https-cert" : "https-key", "must be given together"
                        + " with --" + (cert == null ? "https-key" : "https-cert"));
            }
            this.httpsCert = cert;
            this.httpsKey = key;
            return this;
        }

        /** Wall-clock time of the node (default {@link Clock#systemUTC()}); tests pass one they move by hand. */
        public Builder clock(Clock clock) {
            this.clock = required("clock", clock);
            return this;
        }

        /** Elapsed time of the node (default {@link Ticker#systemTicker()}); tests pass one they move by hand. */
        public Builder ticker(Ticker ticker) {
            this.ticker = required("ticker", ticker);
            return this;
        }

        /** Registry of the node's meters (default: a fresh Prometheus registry per node; {@code /metrics} needs one). */
        public Builder meters(MeterRegistry meters) {
            this.meters = required("meters", meters);
            return this;
        }

        /**
         * Makes a new member join a running group (see {@link NodeConfig#clusterJoin()}); ignored once the
         * member's Raft log holds the group's configuration.
         */
        public Builder clusterJoin(boolean join) {
            this.clusterJoin = join;
            return this;
        }

        /**
         * Snapshots of a member of a replicated service: every {@code every} applied log entries
         * ({@code raft-snapshot-every}, at least 1), the log in segment files of {@code segmentBytes}
         * ({@code raft-segment-bytes}, at least 1024), purged whole behind each snapshot.
         */
        public Builder raftSnapshots(long every, long segmentBytes) {
            if (every < 1) {
                throw new InvalidSettingException("raft-snapshot-every", "must be at least 1, was " + every);
            }
            if (segmentBytes < 1024) {
                throw new InvalidSettingException("raft-segment-bytes", "must be at least 1024, was " + segmentBytes);
            }
            this.replication = new ReplicationSettings(replication.writeTimeout(), replication.electionTimeout(),
                    every, segmentBytes);
            return this;
        }

        /** The settings. */
        /**
         * Makes the node member {@code member} of the replicated service described by the cluster file
         * {@code file} (both null: a single node): it then listens on the member's port and advertises the
         * member's address, from the file, whatever {@link #port} and {@link #advertiseAddress} said.
         */
        public Builder cluster(Path file, String member) {
            if (file == null && member == null) {
                this.cluster = null;
                this.clusterMember = null;
                return this;
            }
            if (file == null) {
                throw new InvalidSettingException("member", "needs --cluster FILE");
            }
            if (member == null || member.isBlank()) {
                throw new InvalidSettingException("cluster", "needs --member ID, the id of this node in the file");
            }
            ClusterConfig parsed;
            try {
                parsed = ClusterConfig.read(file);
            } catch (java.io.IOException e) {
                throw new InvalidSettingException("cluster", "cannot be read: " + e);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("cluster", "is refused: " + e.getMessage());
            }
            ClusterConfig.Member self;
            try {
                self = parsed.member(member);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("member", e.getMessage().replaceFirst("^--member ", ""));
            }
            this.cluster = parsed;
            this.clusterMember = member;
            this.port = self.port();
            this.advertiseAddress = self.address();
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(this);
        }

        private static int atLeastOne(String setting, int value) {
            if (value < 1) {
                throw new InvalidSettingException(setting, "must be at least 1, was " + value);
            }
            return value;
        }

        private static long budgetMib(String setting, long mib) {
            if (mib < 1 || mib > MAX_BUDGET_MIB) {
                throw new InvalidSettingException(setting, "must be 1.." + MAX_BUDGET_MIB + " MiB, was " + mib);
            }
            return mib;
        }

        private static <T> T required(String setting, T value) {
            if (value == null) {
                throw new InvalidSettingException(setting, "must be given, was null");
            }
            return value;
        }

        private static String seconds(Duration d) {
            return d.getNano() == 0 ? d.getSeconds() + " s" : d.toString();
        }
    }
}
