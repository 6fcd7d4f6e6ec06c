package io.idnode.handler;

import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
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

        /** The entry for {@code request}, asked by {@code identity} (or null), answered with {@code outcome}. */
        public static Entry of(Message request, ValueReference identity, Outcome outcome) {
            return new Entry(request.opCode(), handleOf(request.body()), identity, outcome.code(), outcome.message(),
                    request.requestId());
        }

        /** The handle a request body concerns, "" if it names none. */
        static String handleOf(MessageBody body) {
            if (body instanceof ValuesRequest v) {
                return v.handle();
            }
            if (body instanceof RemoveValuesRequest r) {
                return r.handle();
            }
            if (body instanceof HandleRequest h) {
                return h.handle();
            }
            return "";
        }
    }
}
