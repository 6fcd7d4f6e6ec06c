package io.idnode.bench;

import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.transport.RequestMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the node's request meters add to each request on the hot path, as {@code RequestDispatcher} and
 * {@code ReplyWriter} do it for a UDP resolution on an event loop: the count by operation, transport and code, and
 * for one request in {@link RequestMeters#SAMPLE} the two clock reads and the latency histogram; in the node's
 * Prometheus registry ({@code on}) or off ({@code off}, {@link RequestMeters#NONE}, which returns at once). Two
 * threads, as the node's two event loops on this machine, share the meters.
 */
@State(Scope.Benchmark)
@Threads(2)
public class RequestMetersBenchmark extends AbstractBenchmark {
    @Param({"on", "off"})
    public String meters;

    private RequestMeters requestMeters;

    @Setup
    public void setUp() {
        requestMeters = meters.equals("on") ? RequestMeters.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                : RequestMeters.NONE;
    }

    /** One resolution answered over UDP, as the dispatcher and the reply writer count it. */
    @Benchmark
    public void udpResolution() {
        long start = requestMeters.sampleStart();
        requestMeters.count(OpCode.RESOLUTION, RequestMeters.Transport.UDP, ResponseCode.SUCCESS);
        requestMeters.timeSince(OpCode.RESOLUTION, RequestMeters.Transport.UDP, start);
    }
}
