package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.protocol.ResponseCode;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A create (or an add) found the handle (or the value indexes) taken by other values than those sent: the
 * record was registered before with different data, and it was left as it was. Response code 101 (or 201);
 * {@link #existing()} holds what the node has.
 */
public final class ConflictException extends ResponseException {
    private static final long serialVersionUID = 1L;

    private final transient List<HandleValue> existing;

    ConflictException(String message, ResponseCode code, String handle, InetSocketAddress server,
            List<HandleValue> existing) {
        super(message, code, "", handle, server);
        this.existing = List.copyOf(existing);
    }

    /** The values the node holds at the handle (or at the indexes sent), as resolved after the conflict. */
    public List<HandleValue> existing() {
        return existing;
    }
}
