package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A client of Handle-protocol nodes (handle-protocol.md): resolution, site information, administration
 * (create, add, modify, remove, delete, list, home, unhome) and batch registration, every operation
 * asynchronous ({@link CompletableFuture}; {@link #blocking()} gives thin waits on them). Requests travel over
 * persistent TCP connections, many at once on each, and resolutions over UDP first (§1.3); servers are chosen
 * from the sites' HS_SITE descriptions (§7), with fail-over to the next server and site. Administration is
 * authenticated as the configured {@link Identity}, in a session by default (§6.5), set up again when the
 * node has forgotten it. Futures complete on {@link ClientSettings#callbackExecutor()}, never on an I/O
 * thread. Thread-safe; one client per application is enough. Close it to release its threads and connections.
 *
 * <pre>
 * try (HandleClient client = HandleClient.builder().node("127.0.0.1:2641")
 *         .identity(Identity.fromPemFile("300:0.NA/88.100.1", Path.of("data/keys/admin.pem"))).build()) {
 *     client.create("88.100.1/PUMP-2026-000124", List.of(Values.url(1, "https://example.com/p/124"))).join();
 *     Resolution r = client.resolve("88.100.1/PUMP-2026-000124").join();
 * }
 * </pre>
 */
public final class HandleClient implements AutoCloseable {
    /** The port of a node given without one (handle-protocol.md §1.3). */
    public static final int DEFAULT_PORT = 2641;

    private final ClientSettings settings;
    private final Engine engine;

    private HandleClient(ClientSettings settings) {
        this.settings = settings;
        this.engine = new Engine(settings);
    }

    /**
     * Starts {@code op}; its result reaches the caller on the callback executor. A refusal to start (past
     * {@link ClientSettings#maxInFlight()}, after close) is a failed future, not an exception.
     */
    private <T> CompletableFuture<T> run(Operation<T> op) {
        try {
            return op.start(settings.callbackExecutor());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<HandleValue> nonEmpty(List<HandleValue> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("no values given");
        }
        return values;
    }

    /** {@code 88.100.1} from {@code 88.100.1} or {@code 0.NA/88.100.1}. */
    private static String prefixOf(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        String p = Handles.isPrefixHandle(prefix) ? prefix.substring(Handles.PREFIX_HANDLE_PREFIX.length()) : prefix;
        if (p.isEmpty() || p.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a prefix looks like 88.100.1 (or 0.NA/88.100.1), was '" + prefix + "'");
        }
        return p;
    }

    /** The engine under this client, for the SDK's own classes that send requests of their own. */
    Engine engine() {
        return engine;
    }

    /** A builder with the defaults of {@link ClientSettings}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this client was built with. */
    public ClientSettings settings() {
        return settings;
    }

    /** Blocking calls: each waits for the future of the same asynchronous call. */
    public BlockingHandleClient blocking() {
        return new BlockingHandleClient(this);
    }

    // ---------------------------------------------------------------- resolution

    /** Every public value of {@code handle} (§4.1). Fails with a {@link ResponseException} 100 if it does not exist. */
    public CompletableFuture<Resolution> resolve(String handle) {
        return resolve(ResolveRequest.of(handle));
    }

    /** The values {@code request} selects (§4.1); an existing handle with none matching gives an empty result. */
    public CompletableFuture<Resolution> resolve(ResolveRequest request) {
        Objects.requireNonNull(request, "request");
        return run(new Ops.Resolve(engine, request, null));
    }

    /** The site description (HS_SITE, §5.3) of the first configured node, asked of it (GET_SITE_INFO, §3.1). */
    public CompletableFuture<SiteInfo> siteInfo() {
        return run(new Ops.GetSiteInfo(engine, null));
    }

    /** The site description of the node at {@code server} (GET_SITE_INFO, §3.1). */
    public CompletableFuture<SiteInfo> siteInfo(InetSocketAddress server) {
        Objects.requireNonNull(server, "server");
        Endpoint ep = Endpoint.of(Endpoint.provisionalSite(server), Endpoint.provisionalSite(server).servers().get(0),
                engine.keyCodec);
        return run(new Ops.GetSiteInfo(engine, List.of(ep)));
    }

    /**
     * Asks the home node of {@code identity} whether {@code signedResponse} answers the challenge
     * {@code nonce}/{@code digest} for it (VERIFY_CHALLENGE, handle-protocol.md §6.4): true if it does. The reply
     * must be signed by the key the home node's site publishes; a node that asks on behalf of its own clients uses
     * this for identities kept elsewhere.
     */
    public CompletableFuture<Boolean> verifyChallenge(io.idnode.model.ValueReference identity, byte[] nonce,
            io.idnode.protocol.RequestDigest digest, byte[] signedResponse) {
        Objects.requireNonNull(identity, "identity");
        return run(new Ops.VerifyChallenge(engine, identity, nonce, digest, signedResponse));
    }

    // ---------------------------------------------------------------- administration

    /** Creates {@code handle} with {@code values}; fails with a {@link ResponseException} 101 if it exists. */
    public CompletableFuture<CreateResult> create(String handle, List<HandleValue> values) {
        return create(CreateRequest.of(handle, values));
    }

    /** Creates a handle as {@code request} says (§4.4): overwrite, accept identical, or mint. */
    public CompletableFuture<CreateResult> create(CreateRequest request) {
        Objects.requireNonNull(request, "request");
        return run(new Ops.Create(engine, request));
    }

    /**
     * Adds {@code values} to {@code handle} (§4.4); an index in use fails with a {@link ResponseException} 201,
     * unless a retry finds exactly these values there.
     */
    public CompletableFuture<Void> addValues(String handle, List<HandleValue> values) {
        return run(new Ops.Change(engine, Ops.Change.Kind.ADD, handle, nonEmpty(values), new int[0]));
    }

    /** Replaces the values of {@code handle} at the indexes of {@code values} (§4.4); each index must exist. */
    public CompletableFuture<Void> modifyValues(String handle, List<HandleValue> values) {
        return run(new Ops.Change(engine, Ops.Change.Kind.MODIFY, handle, nonEmpty(values), new int[0]));
    }

    /** Removes the values of {@code handle} at {@code indexes} (§4.4). */
    public CompletableFuture<Void> removeValues(String handle, int... indexes) {
        if (indexes.length == 0) {
            throw new IllegalArgumentException("no index to remove from " + handle);
        }
        return run(new Ops.Change(engine, Ops.Change.Kind.REMOVE, handle, List.of(), indexes));
    }

    /** Deletes {@code handle} (§4.4). */
    public CompletableFuture<Void> delete(String handle) {
        return run(new Ops.Change(engine, Ops.Change.Kind.DELETE, handle, List.of(), new int[0]));
    }

    /** Every handle under {@code prefix} (e.g. {@code 88.100.1}), gathered in one list (§3.1). */
    public CompletableFuture<List<String>> listHandles(String prefix) {
        List<String> all = new ArrayList<>();
        return listHandles(prefix, all::addAll).thenApply(n -> all);
    }

    /**
     * The handles under {@code prefix}, handed to {@code pages} page by page as the node sends them (§3.1), one
     * call at a time, in order; completes with their number. For prefixes too large to hold in memory.
     */
    public CompletableFuture<Long> listHandles(String prefix, Consumer<? super List<String>> pages) {
        Objects.requireNonNull(pages, "pages");
        return run(new Ops.ListHandles(engine, prefixOf(prefix), pages));
    }

    /** Makes the node at the prefix's servers serve {@code prefix} (HOME_NA, §3.1); needs a node administrator. */
    public CompletableFuture<Void> home(String prefix) {
        return run(new Ops.Homing(engine, Ops.Homing.Kind.HOME, prefixOf(prefix))).thenApply(x -> null);
    }

    /** Makes the node stop serving {@code prefix} (UNHOME_NA, §3.1); needs a node administrator. */
    public CompletableFuture<Void> unhome(String prefix) {
        return run(new Ops.Homing(engine, Ops.Homing.Kind.UNHOME, prefixOf(prefix))).thenApply(x -> null);
    }

    /** The prefixes the first configured node serves (LIST_HOMED_NAS, §3.1); needs a node administrator. */
    public CompletableFuture<List<String>> listHomedPrefixes() {
        return run(new Ops.Homing(engine, Ops.Homing.Kind.LIST, null));
    }

    // ---------------------------------------------------------------- batch registration

    /**
     * Registers every item of {@code items}, read on a thread of the batch's own as creates complete: at most
     * {@link BatchOptions#maxInFlight()} outstanding, so the iterator may be of any length and may block (a
     * file, a queue).
     */
    public BatchRegistration register(Iterator<Registration> items, BatchOptions options) {
        return new Batch(engine, options).fromIterator(items);
    }

    /**
     * Registers every item {@code items} publishes, requesting one more each time a create completes (at most
     * {@link BatchOptions#maxInFlight()} outstanding).
     */
    public BatchRegistration register(Flow.Publisher<Registration> items, BatchOptions options) {
        return new Batch(engine, options).fromPublisher(Objects.requireNonNull(items, "items"));
    }

    /**
     * Registers the records of a JSON Lines file in the node's import form (one
     * {@code {"handle": ..., "values": [...]}} per line, README "Loading records offline"), read as creates
     * complete; a line that is not a record is a {@link RegistrationResult.Status#FAILED} result at its position.
     */
    public BatchRegistration register(Path jsonLines, BatchOptions options) {
        return new Batch(engine, options).fromFile(jsonLines);
    }

    /** Closes the connections and stops the event loops; operations in flight fail. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Builds a {@link HandleClient}. Each setter checks its value at once and refuses nonsense with an
     * {@link InvalidSettingException} naming the setting; the defaults are those of {@link ClientSettings}.
     * Where the nodes are must be given: {@link #node}, {@link #siteFile} or {@link #site}, each repeatable.
     */
    public static final class Builder {
        final List<InetSocketAddress> nodes = new ArrayList<>();
        final List<SiteInfo> sites = new ArrayList<>();
        Identity identity;
        Duration requestTimeout = ClientSettings.DEFAULT_REQUEST_TIMEOUT;
        Duration operationTimeout = ClientSettings.DEFAULT_OPERATION_TIMEOUT;
        List<Duration> udpRetrySchedule = ClientSettings.DEFAULT_UDP_RETRY_SCHEDULE;
        boolean udp = true;
        int connectionsPerServer = ClientSettings.DEFAULT_CONNECTIONS_PER_SERVER;
        int maxInFlight = ClientSettings.DEFAULT_MAX_IN_FLIGHT;
        int eventLoopThreads = ClientSettings.DEFAULT_EVENT_LOOP_THREADS;
        boolean sessions = true;
        Duration sessionTimeout = ClientSettings.DEFAULT_SESSION_TIMEOUT;
        Duration retryBackoff = ClientSettings.DEFAULT_RETRY_BACKOFF;
        Duration maxRetryBackoff = ClientSettings.DEFAULT_MAX_RETRY_BACKOFF;
        boolean prefixLookup = true;
        Clock clock = Clock.systemUTC();
        Executor callbackExecutor = ForkJoinPool.commonPool();

        private Builder() {
        }

        private static Duration positive(String setting, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidSettingException(setting, "must be positive, was " + d);
            }
            return d;
        }

        private static int inRange(String setting, int n, int min, int max) {
            if (n < min || n > max) {
                throw new InvalidSettingException(setting, "must be " + min + ".." + max + ", was " + n);
            }
            return n;
        }

        private static InetSocketAddress parseNode(String text) {
            String t = text == null ? "" : text.strip();
            String host = t;
            String port = null;
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0 || end + 1 < t.length() && t.charAt(end + 1) != ':') {
                    throw new InvalidSettingException("node", "must be [ipv6]:port, was '" + text + "'");
                }
                host = t.substring(1, end);
                port = end + 1 < t.length() ? t.substring(end + 2) : null;
            } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            }
            if (host.isEmpty()) {
                throw new InvalidSettingException("node", "must be host:port, e.g. 127.0.0.1:2641, was '" + text + "'");
            }
            int number = DEFAULT_PORT;
            if (port != null) {
                try {
                    number = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    number = -1;
                }
                if (number < 1 || number > 65_535) {
                    throw new InvalidSettingException("node", "port must be 1..65535, was '" + port + "' in '" + text
                            + "'");
                }
            }
            InetSocketAddress address = new InetSocketAddress(host, number);
            if (address.isUnresolved()) {
                throw new InvalidSettingException("node", "host '" + host + "' does not resolve (in '" + text + "')");
            }
            return address;
        }

        /** A node at {@code host:port} (port 2641 if omitted; IPv6 as {@code [addr]:port}); its site is asked of it. */
        public Builder node(String hostAndPort) {
            nodes.add(parseNode(hostAndPort));
            return this;
        }

        /** A node at {@code address}; its site is asked of it on first use (GET_SITE_INFO, §3.1). */
        public Builder node(InetSocketAddress address) {
            if (address == null || address.isUnresolved() || address.getPort() <= 0) {
                throw new InvalidSettingException("node", "must be a resolved address with a port, was " + address);
            }
            nodes.add(address);
            return this;
        }

        /**
         * The site of a node's {@code siteinfo.bin} (HS_SITE wire form, §5.3) or {@code siteinfo.json} (its JSON
         * form, §8), told apart by content; read now.
         */
        public Builder siteFile(Path file) {
            sites.add(SiteFiles.read(file));
            return this;
        }

        /** A site given as such. */
        public Builder site(SiteInfo site) {
            if (site == null || site.servers().isEmpty()) {
                throw new InvalidSettingException("site", "must describe at least one server, was " + site);
            }
            sites.add(site);
            return this;
        }

        /** The identity to administer as. */
        public Builder identity(Identity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Longest wait for the reply to one TCP request (positive). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** Deadline of a whole operation, retries included (positive). */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive("operationTimeout", timeout);
            return this;
        }

        /** Waits between UDP sends before TCP is tried (§1.3): at least one, each positive. */
        public Builder udpRetrySchedule(List<Duration> waits) {
            if (waits == null || waits.isEmpty()) {
                throw new InvalidSettingException("udpRetrySchedule", "must hold at least one wait, was " + waits);
            }
            for (Duration d : waits) {
                positive("udpRetrySchedule", d);
            }
            this.udpRetrySchedule = List.copyOf(waits);
            return this;
        }

        /** Whether resolutions and site information try UDP first (false: everything over TCP). */
        public Builder udp(boolean on) {
            this.udp = on;
            return this;
        }

        /** Persistent TCP connections per server, 1..64; each carries a session of its own (§6.5). */
        public Builder connectionsPerServer(int n) {
            this.connectionsPerServer = inRange("connectionsPerServer", n, 1, 64);
            return this;
        }

        /** Requests outstanding at once in the client, 1..1,000,000. */
        public Builder maxInFlight(int n) {
            this.maxInFlight = inRange("maxInFlight", n, 1, 1_000_000);
            return this;
        }

        /** I/O threads of the client's event-loop group, 1..256. */
        public Builder eventLoopThreads(int n) {
            this.eventLoopThreads = inRange("eventLoopThreads", n, 1, 256);
            return this;
        }

        /** Whether administration goes through sessions (§6.5) or answers one challenge per request. */
        public Builder sessions(boolean on) {
            this.sessions = on;
            return this;
        }

        /** Session timeout asked of the node, 1 s..24 days. */
        public Builder sessionTimeout(Duration timeout) {
            positive("sessionTimeout", timeout);
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofDays(24)) > 0) {
                throw new InvalidSettingException("sessionTimeout", "must be 1 s..24 days, was " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** First and longest wait before trying every server again after all failed. */
        public Builder retryBackoff(Duration first, Duration longest) {
            positive("retryBackoff", first);
            positive("retryBackoff", longest);
            if (longest.compareTo(first) < 0) {
                throw new InvalidSettingException("retryBackoff", "longest wait " + longest
                        + " must not be shorter than the first " + first);
            }
            this.retryBackoff = first;
            this.maxRetryBackoff = longest;
            return this;
        }

        /** Whether the servers of a prefix are looked up in its {@code 0.NA/} record (§7.1). */
        public Builder prefixLookup(boolean on) {
            this.prefixLookup = on;
            return this;
        }

        /** The clock of request and reply expiration (§2.1). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where futures complete and batch results are delivered; must not run tasks on the caller's I/O thread. */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The client, its event loops started; no connection is opened before the first request.
         *
         * @throws InvalidSettingException if no node, site file or site was given
         */
        public HandleClient build() {
            if (nodes.isEmpty() && sites.isEmpty()) {
                throw new InvalidSettingException("node", "is missing: give a node (host:port), a site file or a site");
            }
            return new HandleClient(new ClientSettings(this));
        }
    }
}
