package io.idnode.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.handler.AuditLog;
import io.idnode.protocol.ResponseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log as one JSON object per line on the SLF4J logger {@value #LOGGER}, which logback.xml sends
 * to {@code DIR/audit.log} only (not the console): {@code {"op","handle","identity","result","code",
 * "message","requestId"}}; the time is added by the log pattern. Successful operations are always written.
 * Refusals, which anyone can cause without credentials, are written up to a number per second; the rest are
 * only counted, in the meter {@value #REFUSALS} (tag {@code written=false}), and the next refusal written is
 * preceded by {@code {"unwrittenRefusals":N}} saying how many were left out before it.
 */
final class Slf4jAuditLog implements AuditLog {
    /** Name of the audit logger. */
    static final String LOGGER = "io.idnode.audit";
    /** Counter of refused operations, tagged {@code written} true or false. */
    static final String REFUSALS = "idnode.audit.refusals";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log = LoggerFactory.getLogger(LOGGER);
    private final int refusalsPerSecond;
    private final Ticker ticker;
    private final Counter written;
    private final Counter unwritten;
    // Guarded by this: the current one-second window of the ticker and what it let through.
    private long windowStart;
    private int writtenInWindow;
    private long unwrittenSinceLastWritten;

    /**
     * Writes at most {@code refusalsPerSecond} refusals in each second of {@code ticker}, counting them all in
     * {@code meters}.
     */
    Slf4jAuditLog(int refusalsPerSecond, Ticker ticker, MeterRegistry meters) {
        if (refusalsPerSecond < 0) {
            throw new IllegalArgumentException("refusalsPerSecond must not be negative, was " + refusalsPerSecond);
        }
        this.refusalsPerSecond = refusalsPerSecond;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.written = refusals(meters, true);
        this.unwritten = refusals(meters, false);
        this.windowStart = ticker.read();
    }

    private static Counter refusals(MeterRegistry meters, boolean written) {
        return Counter.builder(REFUSALS).tag("written", Boolean.toString(written))
                .description("Administrative requests refused, by whether the audit log has a line for them")
                .register(meters);
    }

    @Override
    public void record(Entry e) {
        if (!e.result().equals(ResponseCode.SUCCESS)) {
            long leftOut;
            synchronized (this) {
                long now = ticker.read();
                if (now - windowStart >= WINDOW_NANOS) {
                    windowStart = now;
                    writtenInWindow = 0;
                }
                if (writtenInWindow >= refusalsPerSecond) {
                    unwrittenSinceLastWritten++;
                    unwritten.increment();
                    return;
                }
                writtenInWindow++;
                leftOut = unwrittenSinceLastWritten;
                unwrittenSinceLastWritten = 0;
            }
            written.increment();
            if (leftOut > 0) {
                log.info("{}", JSON.createObjectNode().put("unwrittenRefusals", leftOut));
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("op", e.op().toString());
        o.put("handle", e.handle());
        o.put("identity", e.identity() == null ? null : e.identity().toString());
        o.put("result", e.result().toString());
        o.put("code", e.result().code());
        o.put("message", e.message());
        o.put("requestId", e.requestId());
        log.info("{}", o);
    }
}
