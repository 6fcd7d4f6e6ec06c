package io.idnode.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a run, for the requests started during measurement: {@code sent == received + timeouts +
 * errors} once the run is drained; {@code byCode} splits {@code received} by response code. Latency is in
 * microseconds; the histogram must not be modified.
 *
 * @param target        server address as given
 * @param transport     how requests travelled
 * @param inFlight      closed loop: requests outstanding; open loop: 0
 * @param rate          open loop: requests per second asked for; closed loop: 0
 * @param seconds       length of the measurement
 * @param sent          requests started during measurement
 * @param received      of those, answered
 * @param timeouts      of those, not answered in time
 * @param errors        of those, not sent or cut off by a lost connection
 * @param unmatched     replies that matched nothing in flight (late ones included)
 * @param byCode        answers by response code
 * @param signed        of the answers, those carrying a credential (a signature, for certified requests); in
 *                      sessions, those whose session MAC verifies
 * @param latencyMicros latency of every answer
 * @param server        the server process during measurement, or null without a pid
 * @param client        this process during measurement
 */
public record LoadReport(String target, Transport transport, int inFlight, double rate, double seconds, long sent,
        long received, long timeouts, long errors, long unmatched, Map<Integer, Long> byCode, long signed,
        Histogram latencyMicros, ProcessUse server, ProcessUse client) {

    /** CPU (percent of one core) and resident memory of a process over the measurement. */
    public record ProcessUse(String pid, double cpuPercent, double rssMiB) {
        static ProcessUse between(String pid, ProcessSample start, ProcessSample end) {
            return new ProcessUse(pid, end.cpuPercentSince(start), end.rssKiB() / 1024.0);
        }
    }

    /** Answers per second. */
    public double throughput() {
        return seconds > 0 ? received / seconds : 0;
    }

    /** The latency at {@code percentile} (0..100), in microseconds. */
    public long latencyAt(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile);
    }

    /** The summary as one line of JSON. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("target", target);
        o.put("transport", transport.cliName());
        o.put("mode", rate > 0 ? "open" : "closed");
        o.put("inFlight", inFlight);
        o.put("rate", rate);
        o.put("seconds", round(seconds));
        o.put("sent", sent);
        o.put("received", received);
        o.put("timeouts", timeouts);
        o.put("errors", errors);
        o.put("unmatched", unmatched);
        ObjectNode codes = o.putObject("responseCodes");
        byCode.forEach((code, count) -> codes.put(Integer.toString(code), count));
        o.put("signed", signed);
        o.put("throughput", round(throughput()));
        ObjectNode lat = o.putObject("latencyMicros");
        lat.put("mean", round(latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMean()));
        lat.put("p50", latencyAt(50));
        lat.put("p90", latencyAt(90));
        lat.put("p99", latencyAt(99));
        lat.put("p999", latencyAt(99.9));
        lat.put("max", latencyMicros.getMaxValue());
        putProcess(o, "server", server);
        putProcess(o, "client", client);
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the summary", e);
        }
    }

    private static void putProcess(ObjectNode o, String name, ProcessUse use) {
        if (use == null) {
            o.putNull(name);
            return;
        }
        ObjectNode p = o.putObject(name);
        p.put("pid", use.pid());
        p.put("cpuPercent", round(use.cpuPercent()));
        p.put("rssMiB", round(use.rssMiB()));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
