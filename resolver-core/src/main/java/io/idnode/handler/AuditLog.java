package io.idnode.handler;

import io.idnode.model.ValueReference;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;

/**
 * Where the outcome of every administrative operation goes (who, what, result), apart from the node's
 * console log. The server routes it to a file; {@link #NONE} discards. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AuditLog {
    /** Discards every entry. */
    AuditLog NONE = entry -> { };

    /** Records one operation's outcome. */
    void record(Entry entry);

    /**
     * One administrative operation: the operation and handle it concerned, the identity that asked
     * ({@code null} if none was proven), the reply code and its message, and the request id.
     */
    record Entry(OpCode op, String handle, ValueReference identity, ResponseCode result, String message,
            int requestId) {
    }
}
