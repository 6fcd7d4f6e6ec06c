package io.idnode.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The logging of a running node. logback.xml writes the audit log into the data folder named by the system
 * property {@value #DATA_PROPERTY}, and only once it is set: {@code serve} sets it after checking the folder and
 * then has logback read its configuration again, so a refused command writes no file. A configuration that
 * fails (e.g. an audit log that cannot be opened) is reported as one exception instead of logback's status dump.
 */
final class NodeLogging {
    /** System property naming the data folder, read by logback.xml to place {@code audit.log}. */
    static final String DATA_PROPERTY = "idnode.data";

    private NodeLogging() {
    }

    /**
     * Points the audit log at {@code dataDir} (which exists) and configures logging again. With another SLF4J
     * backend than logback only the property is set.
     *
     * @throws IllegalStateException naming the first error of the configuration
     */
    static void start(Path dataDir) {
        System.setProperty(DATA_PROPERTY, dataDir.toAbsolutePath().toString());
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        context.getStatusManager().clear();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("logging configuration failed: " + e.getMessage(), e);
        }
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() == Status.ERROR) {
                Throwable cause = s.getThrowable();
                throw new IllegalStateException("logging configuration failed: " + s.getMessage()
                        + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
            }
        }
    }
}
