package io.idnode.server;

import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a running node. Defaults (documented once, here): data folder {@code ./data}, bind address
 * 127.0.0.1, port 2641 (UDP and TCP), prefix {@code 88.100.1}, TCP connections closed after 120 s idle,
 * one event loop per core, a hot cache of 100,000 records (TTL clamps and negative caching as
 * {@link io.idnode.cache.CacheSettings} documents).
 *
 * @param dataDir          folder of the RocksDB store, keys and site files
 * @param bindAddress      address to listen on
 * @param port             UDP and TCP port; 0 picks a free one
 * @param advertiseAddress address published in the node's HS_SITE (the bind address unless it is a wildcard)
 * @param prefixes         prefixes homed here; the first one receives the demo records
 * @param demo             whether to create example identifiers on start
 * @param tcpIdleTimeout   how long an idle TCP connection stays open
 * @param eventLoops       number of I/O threads (0 = number of cores)
 * @param cacheMaxRecords  records kept in the hot cache (0 disables the cache)
 * @param admins           node administrators {@code index:handle} who may do everything (none by default;
 *                         index 0 = any index of the handle)
 */
public record NodeConfig(Path dataDir, InetAddress bindAddress, int port, InetAddress advertiseAddress,
        List<String> prefixes, boolean demo, Duration tcpIdleTimeout, int eventLoops, long cacheMaxRecords,
        List<ValueReference> admins) {

    public static final int DEFAULT_PORT = 2641;
    public static final String DEFAULT_PREFIX = "88.100.1";

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        prefixes = List.copyOf(prefixes);
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one --prefix is needed");
        }
        for (String p : prefixes) {
            if (p.isEmpty() || p.indexOf('/') >= 0) {
                throw new IllegalArgumentException("a prefix is like 88.100.1 (no '/'), got '" + p + "'");
            }
        }
        if (advertiseAddress == null) {
            advertiseAddress = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
        }
        if (tcpIdleTimeout == null || tcpIdleTimeout.isNegative() || tcpIdleTimeout.isZero()) {
            throw new IllegalArgumentException("tcpIdleTimeout must be positive");
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("eventLoops must be >= 0, got " + eventLoops);
        }
        if (cacheMaxRecords < 0) {
            throw new IllegalArgumentException("cacheMaxRecords must be >= 0, got " + cacheMaxRecords);
        }
        admins = admins == null ? List.of() : List.copyOf(admins);
    }

    /** Settings without node administrators. */
    public NodeConfig(Path dataDir, InetAddress bindAddress, int port, InetAddress advertiseAddress,
            List<String> prefixes, boolean demo, Duration tcpIdleTimeout, int eventLoops, long cacheMaxRecords) {
        this(dataDir, bindAddress, port, advertiseAddress, prefixes, demo, tcpIdleTimeout, eventLoops, cacheMaxRecords,
                List.of());
    }

    /** Parses a node administrator {@code INDEX:HANDLE}, e.g. {@code 300:0.NA/88.100.1}. */
    public static ValueReference parseAdmin(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("an administrator is INDEX:HANDLE, e.g. 300:0.NA/88.100.1, got '"
                    + spec + "'");
        }
        int index;
        try {
            index = Integer.parseInt(spec.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("administrator index must be a number, got '" + spec + "'");
        }
        if (index < 0) {
            throw new IllegalArgumentException("administrator index must be >= 0, got '" + spec + "'");
        }
        return new ValueReference(spec.substring(colon + 1), index);
    }

    public NodeConfig withAdmins(List<ValueReference> newAdmins) {
        return new NodeConfig(dataDir, bindAddress, port, advertiseAddress, prefixes, demo, tcpIdleTimeout,
                eventLoops, cacheMaxRecords, newAdmins);
    }

    /** Heap a cached record of a few values takes, measured (`GC.class_histogram`, 3-value records): ≈ 1 KB. */
    static final long CACHED_RECORD_HEAP_BYTES = 1_100;
    /** Share of the heap the hot cache may fill and leave the collector room for the young generation. */
    static final double CACHE_HEAP_SHARE = 0.6;

    /**
     * A warning when a full hot cache would not fit in {@code maxHeapBytes} with room to spare (the heap is
     * set apart from the node's options, in bin/jvm.options), else null.
     */
    public String heapWarning(long maxHeapBytes) {
        long needed = cacheMaxRecords * CACHED_RECORD_HEAP_BYTES;
        if (needed <= maxHeapBytes * CACHE_HEAP_SHARE) {
            return null;
        }
        long mib = 1 << 20;
        return String.format("a full hot cache of %d records needs about %d MiB of heap, more than %.0f %% of the"
                + " %d MiB heap: raise the heap (IDNODE_JAVA_OPTS=-Xmx%dm) or lower --cache", cacheMaxRecords,
                needed / mib, CACHE_HEAP_SHARE * 100, maxHeapBytes / mib,
                (long) Math.ceil(needed / CACHE_HEAP_SHARE / mib));
    }

    /** The defaults for a node storing its data in {@code dataDir}. */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, InetAddress.getLoopbackAddress(), DEFAULT_PORT, null,
                List.of(DEFAULT_PREFIX), false, Duration.ofSeconds(120), 0, 100_000);
    }

    public NodeConfig withPort(int newPort) {
        return new NodeConfig(dataDir, bindAddress, newPort, advertiseAddress, prefixes, demo, tcpIdleTimeout,
                eventLoops, cacheMaxRecords, admins);
    }

    public NodeConfig withPrefixes(List<String> newPrefixes) {
        return new NodeConfig(dataDir, bindAddress, port, advertiseAddress, newPrefixes, demo, tcpIdleTimeout,
                eventLoops, cacheMaxRecords, admins);
    }

    public NodeConfig withDemo(boolean newDemo) {
        return new NodeConfig(dataDir, bindAddress, port, advertiseAddress, prefixes, newDemo, tcpIdleTimeout,
                eventLoops, cacheMaxRecords, admins);
    }

    public NodeConfig withTcpIdleTimeout(Duration timeout) {
        return new NodeConfig(dataDir, bindAddress, port, advertiseAddress, prefixes, demo, timeout, eventLoops,
                cacheMaxRecords, admins);
    }
}
