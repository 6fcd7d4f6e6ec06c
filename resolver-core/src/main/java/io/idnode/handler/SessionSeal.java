package io.idnode.handler;

import io.idnode.crypto.auth.SessionMacKey;
import java.util.Objects;

/**
 * How a reply inside a session is sealed (handle-protocol.md §2.3, §6.6): an {@code HS_MAC} credential
 * keyed with the session key and carrying the server's session counter, and, when {@code encrypt}, the
 * whole message encrypted with the session key. {@code macKey}, when given, is the same key as a keyed engine
 * (the MAC then needs no key set-up and no copy of the reply); null MACs through the generic path. The key
 * array is shared, not copied: do not modify it.
 */
public record SessionSeal(byte[] sessionKey, int serverCounter, boolean encrypt, SessionMacKey macKey) {
    public SessionSeal {
        Objects.requireNonNull(sessionKey, "sessionKey");
    }

    /** A seal MAC-signing through the generic path. */
    public SessionSeal(byte[] sessionKey, int serverCounter, boolean encrypt) {
        this(sessionKey, serverCounter, encrypt, null);
    }
}
