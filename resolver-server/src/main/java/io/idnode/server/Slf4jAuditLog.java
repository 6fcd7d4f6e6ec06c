package io.idnode.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.handler.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log as one JSON object per line on the SLF4J logger {@value #LOGGER}, which logback.xml sends
 * to {@code DIR/audit.log} only (not the console): {@code {"op","handle","identity","result","code",
 * "message","requestId"}}; the time is added by the log pattern.
 */
final class Slf4jAuditLog implements AuditLog {
    /** Name of the audit logger. */
    static final String LOGGER = "io.idnode.audit";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void record(Entry e) {
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
