package io.idnode.loadgen;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Load runs for tests, bounded by a count of requests rather than by time, with a timeout no healthy run on
 * a loaded machine reaches: their counts do not depend on how fast the machine is.
 */
final class Runs {
    /** Counted requests of a test run. */
    static final long REQUESTS = 2000;
    /** A timeout that only a stalled machine reaches. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Runs() {
    }

    static List<String> keys(KeyPattern pattern) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < pattern.count(); i++) {
            keys.add(pattern.key(i));
        }
        return keys;
    }

    /** A closed loop of {@link #REQUESTS} counted requests over two lanes, without warm-up. */
    static LoadSettings.Builder closed(int port, Transport transport, List<String> keys, int inFlight) {
        return LoadSettings.builder().target(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .transport(transport).keys(keys).inFlight(inFlight).connections(2).threads(2)
                .warmup(Duration.ZERO).requests(REQUESTS).timeout(TIMEOUT);
    }

    /** An open loop of {@link #REQUESTS} counted requests at {@code rate} per second over two lanes. */
    static LoadSettings.Builder open(int port, Transport transport, List<String> keys, double rate) {
        return closed(port, transport, keys, 1).chooser(KeyChooser.zipf(keys.size(), 0.99, 1)).rate(rate);
    }

    static String selfPid() {
        return Long.toString(ProcessHandle.current().pid());
    }
}
