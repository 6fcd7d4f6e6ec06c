package io.idnode.loadgen;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Short load runs for tests: a fraction of a second each. */
final class Runs {
    private Runs() {
    }

    static List<String> keys(KeyPattern pattern) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < pattern.count(); i++) {
            keys.add(pattern.key(i));
        }
        return keys;
    }

    static LoadSettings closed(int port, Transport transport, List<String> keys, int inFlight) {
        return new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), transport, keys,
                KeyChooser.uniform(keys.size()), inFlight, 0, 2, 2, Duration.ofMillis(200), Duration.ofMillis(500),
                Duration.ofSeconds(2), false);
    }

    static LoadSettings open(int port, Transport transport, List<String> keys, double rate) {
        return new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), transport, keys,
                KeyChooser.zipf(keys.size(), 0.99, 1), 0, rate, 2, 2, Duration.ofMillis(200), Duration.ofMillis(500),
                Duration.ofSeconds(2), false);
    }

    static String selfPid() {
        return Long.toString(ProcessHandle.current().pid());
    }
}
