package io.idnode.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one load run does, made by {@link #builder()}. Closed loop ({@code rate == 0}): {@code inFlight}
 * requests outstanding at all times, the next sent when one completes. Open loop ({@code rate > 0}): requests
 * started at {@code rate} per second whatever the replies, latency measured from the intended start (no
 * coordinated omission). Requests started during {@code warmup} are not counted. The counted part ends after
 * {@code duration}, or once {@code requests} counted requests have started when a count is given; the run
 * ends once every counted request has been answered, has failed or has timed out.
 */
public final class LoadSettings {
    /** Default transport: UDP. */
    public static final Transport DEFAULT_TRANSPORT = Transport.UDP;
    /** Default requests outstanding in a closed loop. */
    public static final int DEFAULT_IN_FLIGHT = 8;
    /** Default UDP sockets or persistent TCP connections. */
    public static final int DEFAULT_CONNECTIONS = 1;
    /** Default I/O threads of the generator. */
    public static final int DEFAULT_THREADS = 1;
    /** Default time before counting starts. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    /** Default time during which counted requests are started. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** Default time a request may wait for its reply. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final InetSocketAddress target;
    private final Transport transport;
    private final List<String> keys;
    private final KeyChooser chooser;
    private final int inFlight;
    private final double rate;
    private final int connections;
    private final int threads;
    private final Duration warmup;
    private final Duration duration;
    private final long requests;
    private final Duration timeout;
    private final boolean certified;
    private final boolean session;

    private LoadSettings(Builder b, KeyChooser chooser) {
        this.target = b.target;
        this.transport = b.transport;
        this.keys = b.keys;
        this.chooser = chooser;
        this.inFlight = b.inFlight;
        this.rate = b.rate;
        this.connections = b.connections;
        this.threads = b.threads;
        this.warmup = b.warmup;
        this.duration = b.duration;
        this.requests = b.requests;
        this.timeout = b.timeout;
        this.certified = b.certified;
        this.session = b.session;
    }

    /** A builder with every setting at its default; the target and the keys have none. */
    public static Builder builder() {
        return new Builder();
    }

    /** Server address. */
    public InetSocketAddress target() {
        return target;
    }

    /** UDP, persistent TCP or one TCP connection per request. */
    public Transport transport() {
        return transport;
    }

    /** Handles to resolve. */
    public List<String> keys() {
        return keys;
    }

    /** Which key each request takes. */
    public KeyChooser chooser() {
        return chooser;
    }

    /** Closed loop: requests outstanding; ignored in an open loop. */
    public int inFlight() {
        return inFlight;
    }

    /** Open loop: requests per second; 0 = closed loop. */
    public double rate() {
        return rate;
    }

    /** UDP sockets or persistent TCP connections, each on one I/O thread. */
    public int connections() {
        return connections;
    }

    /** I/O threads of the generator. */
    public int threads() {
        return threads;
    }

    /** Time before counting starts. */
    public Duration warmup() {
        return warmup;
    }

    /** Time during which counted requests are started (not used when {@link #requests()} bounds the run). */
    public Duration duration() {
        return duration;
    }

    /** Counted requests the run starts, then stops; 0 when {@link #duration()} bounds the run. */
    public long requests() {
        return requests;
    }

    /** How long a request may wait for its reply. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether requests ask for a signed reply (CT, handle-protocol.md §2.2, §2.3). */
    public boolean certified() {
        return certified;
    }

    /**
     * Whether each lane sets up a session once and sends every request in it, MAC-signed, checking the MAC of
     * every reply (handle-protocol.md §6.5); with {@link #certified()}, certified replies come MAC-signed.
     */
    public boolean session() {
        return session;
    }

    /** Whether requests are started at a fixed rate rather than on completion. */
    public boolean openLoop() {
        return rate > 0;
    }

    /** Whether a count of requests, not a duration, bounds the counted part of the run. */
    public boolean boundedByCount() {
        return requests > 0;
    }

    /** Collects and checks the settings of a run; each setter rejects a bad value naming the setting. */
    public static final class Builder {
        private InetSocketAddress target;
        private Transport transport = DEFAULT_TRANSPORT;
        private List<String> keys;
        private KeyChooser chooser;
        private int inFlight = DEFAULT_IN_FLIGHT;
        private double rate;
        private int connections = DEFAULT_CONNECTIONS;
        private int threads = DEFAULT_THREADS;
        private Duration warmup = DEFAULT_WARMUP;
        private Duration duration = DEFAULT_DURATION;
        private boolean durationSet;
        private long requests;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean allowRemote;
        private boolean certified;
        private boolean session;

        private Builder() {
        }

        /** The server to load (required). */
        public Builder target(InetSocketAddress target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** How requests travel; default {@link #DEFAULT_TRANSPORT}. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The handles to resolve (required, at least one). */
        public Builder keys(List<String> keys) {
            List<String> copy = List.copyOf(keys);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("keys must not be empty");
            }
            this.keys = copy;
            return this;
        }

        /** Which key each request takes; default uniform over the keys. Must choose among as many keys. */
        public Builder chooser(KeyChooser chooser) {
            this.chooser = Objects.requireNonNull(chooser, "chooser");
            return this;
        }

        /** Closed loop: requests outstanding, at least 1; default {@link #DEFAULT_IN_FLIGHT}. */
        public Builder inFlight(int inFlight) {
            if (inFlight < 1) {
                throw new IllegalArgumentException("inFlight must be at least 1, got " + inFlight);
            }
            this.inFlight = inFlight;
            return this;
        }

        /** Open loop at {@code perSecond} requests per second; 0 (the default) = closed loop. */
        public Builder rate(double perSecond) {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("rate must be >= 0 (0 = closed loop), got " + perSecond);
            }
            this.rate = perSecond;
            return this;
        }

        /** UDP sockets or persistent TCP connections, at least 1; default {@link #DEFAULT_CONNECTIONS}. */
        public Builder connections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be at least 1, got " + connections);
            }
            this.connections = connections;
            return this;
        }

        /** I/O threads of the generator, at least 1; default {@link #DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Time before counting starts, >= 0; default {@link #DEFAULT_WARMUP}. */
        public Builder warmup(Duration warmup) {
            if (warmup == null || warmup.isNegative()) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            this.warmup = warmup;
            return this;
        }

        /** Time during which counted requests are started, > 0; default {@link #DEFAULT_DURATION}. */
        public Builder duration(Duration duration) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive, got " + duration);
            }
            this.duration = duration;
            this.durationSet = true;
            return this;
        }

        /** Bounds the run by a count of counted requests instead of a duration; at least 1. */
        public Builder requests(long requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("requests must be at least 1, got " + requests);
            }
            this.requests = requests;
            return this;
        }

        /** How long a request may wait for its reply, > 0; default {@link #DEFAULT_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Whether requests set CT, asking the server to sign every reply with its key; default false. */
        public Builder certified(boolean certified) {
            this.certified = certified;
            return this;
        }

        /**
         * Whether each lane sends its requests in a session of its own, set up before the run; UDP and persistent
         * TCP only; default false.
         */
        public Builder session(boolean session) {
            this.session = session;
            return this;
        }

        /** Whether a target that is not a loopback address is accepted; default false. */
        public Builder allowRemote(boolean allowRemote) {
            this.allowRemote = allowRemote;
            return this;
        }

        /** The settings, once the target and keys are given and the settings agree with each other. */
        public LoadSettings build() {
            if (target == null) {
                throw new IllegalArgumentException("target must be given");
            }
            if (keys == null) {
                throw new IllegalArgumentException("keys must be given");
            }
            KeyChooser c = chooser != null ? chooser : KeyChooser.uniform(keys.size());
            if (c.size() != keys.size()) {
                throw new IllegalArgumentException("chooser picks among " + c.size() + " keys, but there are "
                        + keys.size());
            }
            if (durationSet && requests > 0) {
                throw new IllegalArgumentException("give a duration or a number of requests, not both");
            }
            if (session && transport == Transport.TCP_PER_REQUEST) {
                throw new IllegalArgumentException("session runs over udp or tcp, not " + transport.cliName());
            }
            if (!allowRemote && (target.isUnresolved() || !target.getAddress().isLoopbackAddress())) {
                throw new IllegalArgumentException("target " + target + " is not a loopback address; pass "
                        + "--allow-remote to load a remote server");
            }
            return new LoadSettings(this, c);
        }
    }
}
