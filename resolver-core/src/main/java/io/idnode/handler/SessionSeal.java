package io.idnode.handler;

import java.util.Objects;

/**
 * How a reply inside a session is sealed (handle-protocol.md §2.3, §6.6): an {@code HS_MAC} credential
 * keyed with the session key and carrying the server's session counter, and, when {@code encrypt}, the
 * whole message encrypted with the session key. The key array is shared, not copied: do not modify it.
 */
public record SessionSeal(byte[] sessionKey, int serverCounter, boolean encrypt) {
    public SessionSeal {
        Objects.requireNonNull(sessionKey, "sessionKey");
    }
}
