package io.idnode.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one load run does. Closed loop ({@code rate == 0}): {@code inFlight} requests outstanding at all
 * times, the next sent when one completes. Open loop ({@code rate > 0}): requests started at {@code rate}
 * per second whatever the replies, latency measured from the intended start (no coordinated omission).
 * Requests started during {@code warmup} are not counted; after {@code duration} no new request is started
 * and the run ends once every counted one has been answered or has timed out.
 *
 * @param target      server address
 * @param transport   UDP, persistent TCP or one TCP connection per request
 * @param keys        handles to resolve
 * @param chooser     which key each request takes (its size must be that of {@code keys})
 * @param inFlight    closed loop: requests outstanding (at least 1); open loop: ignored
 * @param rate        open loop: requests per second; 0 = closed loop
 * @param connections UDP sockets or persistent TCP connections (each on one I/O thread)
 * @param threads     I/O threads of the generator
 * @param warmup      time before counting starts
 * @param duration    time during which counted requests are started
 * @param timeout     how long a request may wait for its reply
 * @param allowRemote whether a non-loopback target is accepted
 */
public record LoadSettings(InetSocketAddress target, Transport transport, List<String> keys, KeyChooser chooser,
        int inFlight, double rate, int connections, int threads, Duration warmup, Duration duration,
        Duration timeout, boolean allowRemote) {

    public LoadSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(transport, "transport");
        keys = List.copyOf(keys);
        Objects.requireNonNull(chooser, "chooser");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys must not be empty");
        }
        if (chooser.size() != keys.size()) {
            throw new IllegalArgumentException("chooser picks among " + chooser.size() + " keys, but there are "
                    + keys.size());
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be >= 0 (0 = closed loop), got " + rate);
        }
        if (rate == 0 && inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1, got " + inFlight);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (warmup == null || warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must be >= 0");
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (!allowRemote && (target.isUnresolved() || !target.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("target " + target + " is not a loopback address; pass "
                    + "--allow-remote to load a remote server");
        }
    }

    /** Whether requests are started at a fixed rate rather than on completion. */
    public boolean openLoop() {
        return rate > 0;
    }
}
