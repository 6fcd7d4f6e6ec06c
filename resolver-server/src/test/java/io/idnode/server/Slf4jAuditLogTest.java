package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.idnode.handler.AuditLog.Entry;
import io.idnode.model.ValueReference;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refusals reach the audit log up to a rate per second of the node's ticker; the rest are counted. */
class Slf4jAuditLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(Slf4jAuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong nanos = new AtomicLong(5_000);
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void captureTheAuditLog() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    static Entry refusal(int requestId) {
        return new Entry(OpCode.DELETE_HANDLE, "88.100.1/X-" + requestId, null, ResponseCode.HANDLE_NOT_FOUND,
                "handle not found", requestId);
    }

    static Entry success(int requestId) {
        return new Entry(OpCode.CREATE_HANDLE, "88.100.1/Y-" + requestId, new ValueReference("0.NA/88.100.1", 300),
                ResponseCode.SUCCESS, "", requestId);
    }

    List<String> written() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    double refusals(boolean written) {
        return meters.counter(Slf4jAuditLog.REFUSALS, "written", Boolean.toString(written)).count();
    }

    @Test
    void refusalsOverTheRateAreCountedThenSummedUpBeforeTheNextLine() {
        Slf4jAuditLog audit = new Slf4jAuditLog(3, nanos::get, meters);
        for (int i = 1; i <= 10; i++) {
            audit.record(refusal(i));
        }
        audit.record(success(11));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        audit.record(refusal(12)); // still the same second

        assertThat(written()).hasSize(4);
        assertThat(written().get(0)).startsWith("{\"op\":\"DELETE_HANDLE(101)\",\"handle\":\"88.100.1/X-1\"")
                .contains("\"code\":100").endsWith("\"requestId\":1}");
        assertThat(written().get(2)).contains("\"requestId\":3}");
        assertThat(written().get(3)).contains("\"result\":\"SUCCESS(1)\"").contains("\"requestId\":11}");
        assertThat(refusals(true)).isEqualTo(3);
        assertThat(refusals(false)).isEqualTo(8);

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        audit.record(refusal(13));

        assertThat(written()).hasSize(6);
        assertThat(written().get(4)).isEqualTo("{\"unwrittenRefusals\":8}");
        assertThat(written().get(5)).contains("\"requestId\":13}");
        assertThat(refusals(true)).isEqualTo(4);
        assertThat(refusals(false)).isEqualTo(8);
    }

    @Test
    void atZeroRefusalsAreOnlyCountedAndSuccessesAlwaysWritten() {
        Slf4jAuditLog audit = new Slf4jAuditLog(0, nanos::get, meters);
        for (int i = 1; i <= 5; i++) {
            audit.record(refusal(i));
            audit.record(success(100 + i));
        }
        assertThat(written()).hasSize(5).allMatch(l -> l.contains("\"result\":\"SUCCESS(1)\""));
        assertThat(refusals(true)).isZero();
        assertThat(refusals(false)).isEqualTo(5);
    }
}
