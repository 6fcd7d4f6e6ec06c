package io.idnode.client;

import io.idnode.model.SiteInfo;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link HandleClient}, made by its {@link HandleClient.Builder}; immutable. Every default
 * is stated here, once:
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code requestTimeout}</td><td>10 s</td><td>longest wait for the reply to one request sent over
 * TCP; then the next server is tried</td></tr>
 * <tr><td>{@code operationTimeout}</td><td>60 s</td><td>deadline of a whole operation, retries, fail-over
 * and re-authentication included</td></tr>
 * <tr><td>{@code udpRetrySchedule}</td><td>500, 1000, 1500 ms</td><td>a UDP request is sent again after each
 * wait without reply, then sent over TCP (handle-protocol.md §1.3)</td></tr>
 * <tr><td>{@code udp}</td><td>true</td><td>resolutions and site information try UDP first; false sends
 * everything over TCP</td></tr>
 * <tr><td>{@code connectionsPerServer}</td><td>2</td><td>persistent TCP connections kept to each server, each
 * carrying many requests at once and, for administration, a session of its own (opened when first needed); a
 * node answers a few requests of one connection at a time, so more connections carry more authenticated writes
 * at once</td></tr>
 * <tr><td>{@code maxInFlight}</td><td>4096</td><td>requests outstanding at once in the whole client; one more
 * fails at once with {@link java.util.concurrent.RejectedExecutionException}</td></tr>
 * <tr><td>{@code eventLoopThreads}</td><td>2</td><td>I/O threads of the client's one event-loop group</td></tr>
 * <tr><td>{@code sessions}</td><td>true</td><td>administer in a session (§6.5): one challenge per session,
 * then requests carry a MAC only</td></tr>
 * <tr><td>{@code sessionTimeout}</td><td>24 h</td><td>idle time after which the node may end a session (a new
 * one is set up when it has)</td></tr>
 * <tr><td>{@code retryBackoff}</td><td>50 ms to 2 s</td><td>wait before trying every server again after all
 * failed, doubling each time</td></tr>
 * <tr><td>{@code prefixLookup}</td><td>true</td><td>find the servers of a prefix from its {@code 0.NA/} record
 * at the configured nodes (§7.1), rather than send everything to them</td></tr>
 * <tr><td>{@code clock}</td><td>the system clock</td><td>expiration of requests, checks of reply
 * expiration (§2.1)</td></tr>
 * <tr><td>{@code callbackExecutor}</td><td>the common fork-join pool</td><td>where futures complete and batch
 * results are delivered: never on an I/O thread</td></tr>
 * </table>
 * Where the nodes are ({@code node}, {@code siteFile}, {@code site}) has no default: at least one is needed.
 */
public final class ClientSettings {
    /** Default of {@code requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@code operationTimeout}. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(60);
    /** Default of {@code udpRetrySchedule}: the stock client's (§1.3). */
    public static final List<Duration> DEFAULT_UDP_RETRY_SCHEDULE = List.of(Duration.ofMillis(500),
            Duration.ofMillis(1000), Duration.ofMillis(1500));
    /** Default of {@code connectionsPerServer}. */
    public static final int DEFAULT_CONNECTIONS_PER_SERVER = 2;
    /** Default of {@code maxInFlight}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;
    /** Default of {@code eventLoopThreads}. */
    public static final int DEFAULT_EVENT_LOOP_THREADS = 2;
    /** Default of {@code sessionTimeout}: the longest a node grants unless configured otherwise. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(24);
    /** Default first wait of {@code retryBackoff}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(50);
    /** Default longest wait of {@code retryBackoff}. */
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(2);

    private final List<InetSocketAddress> nodes;
    private final List<SiteInfo> sites;
    private final Identity identity;
    private final Duration requestTimeout;
    private final Duration operationTimeout;
    private final List<Duration> udpRetrySchedule;
    private final boolean udp;
    private final int connectionsPerServer;
    private final int maxInFlight;
    private final int eventLoopThreads;
    private final boolean sessions;
    private final Duration sessionTimeout;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final boolean prefixLookup;
    private final Clock clock;
    private final Executor callbackExecutor;

    ClientSettings(HandleClient.Builder b) {
        this.nodes = List.copyOf(b.nodes);
        this.sites = List.copyOf(b.sites);
        this.identity = b.identity;
        this.requestTimeout = b.requestTimeout;
        this.operationTimeout = b.operationTimeout;
        this.udpRetrySchedule = List.copyOf(b.udpRetrySchedule);
        this.udp = b.udp;
        this.connectionsPerServer = b.connectionsPerServer;
        this.maxInFlight = b.maxInFlight;
        this.eventLoopThreads = b.eventLoopThreads;
        this.sessions = b.sessions;
        this.sessionTimeout = b.sessionTimeout;
        this.retryBackoff = b.retryBackoff;
        this.maxRetryBackoff = b.maxRetryBackoff;
        this.prefixLookup = b.prefixLookup;
        this.clock = b.clock;
        this.callbackExecutor = b.callbackExecutor;
    }

    /** Nodes given by address, whose site is asked of them on first use (GET_SITE_INFO, §3.1). */
    public List<InetSocketAddress> nodes() {
        return nodes;
    }

    /** Sites given as such or read from site files. */
    public List<SiteInfo> sites() {
        return sites;
    }

    /** Who the client administers as, if anyone. */
    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** Longest wait for the reply to one TCP request. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Deadline of a whole operation. */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** Waits between the UDP sends of a request before it goes over TCP (§1.3). */
    public List<Duration> udpRetrySchedule() {
        return udpRetrySchedule;
    }

    /** Whether resolutions and site information try UDP first. */
    public boolean udp() {
        return udp;
    }

    /** Persistent TCP connections per server, each with its own session when administering in sessions. */
    public int connectionsPerServer() {
        return connectionsPerServer;
    }

    /** Requests outstanding at once in the client. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** I/O threads of the client's event-loop group. */
    public int eventLoopThreads() {
        return eventLoopThreads;
    }

    /** Whether administration goes through sessions (§6.5). */
    public boolean sessions() {
        return sessions;
    }

    /** Session timeout asked of the node (§6.5). */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** First wait before trying every server again. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** Longest wait before trying every server again. */
    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    /** Whether the servers of a prefix are looked up in its {@code 0.NA/} record (§7.1). */
    public boolean prefixLookup() {
        return prefixLookup;
    }

    /** The clock of request and reply expiration (§2.1). */
    public Clock clock() {
        return clock;
    }

    /** Where futures complete and batch results are delivered. */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }
}
