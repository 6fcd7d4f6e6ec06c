package io.idnode.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.server.ratelimit.NetworkSet;
import io.idnode.server.ratelimit.SourceLimitSettings;
import io.idnode.server.ratelimit.SourceLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the UDP rate limit costs a request that it answers: {@code SourceLimits.udpRequest} for senders of
 * 4,096 networks (IPv4 or IPv6) under a rate they never reach, and for an exempt (loopback) sender.
 */
@State(Scope.Benchmark)
public class SourceLimitsBenchmark extends AbstractBenchmark {
    static final int SENDERS = 4096;

    @Param({"ipv4", "ipv6", "exempt"})
    String source;

    SourceLimits limits;
    InetSocketAddress[] senders;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        limits = new SourceLimits(new SourceLimitSettings(512, 10_000_000, 2, 20, 24, 56, 65_536,
                NetworkSet.parse(List.of("127.0.0.0/8", "::1/128"))), Ticker.systemTicker(), new SimpleMeterRegistry());
        senders = new InetSocketAddress[SENDERS];
        for (int i = 0; i < SENDERS; i++) {
            InetAddress a = switch (source) {
                case "ipv4" -> InetAddress.getByAddress(new byte[] {10, (byte) (i >> 8), (byte) i, 7});
                case "ipv6" -> InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0,
                    (byte) (i >> 8), (byte) i, 0, 0, 0, 0, 0, 0, 0, 7});
                default -> InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            };
            senders[i] = new InetSocketAddress(a, 40_000);
        }
    }

    @Benchmark
    public SourceLimits.UdpVerdict udpRequest() {
        return limits.udpRequest(senders[next++ & (SENDERS - 1)]);
    }
}
