package io.idnode.handler.session;

import java.util.Objects;

/**
 * Whether one persistent TCP connection is encrypted, and with what (cn-extensions.md §4): off until a
 * SESSION_SETUP in mode 3 ("key in a handle") on it succeeds, then on for the rest of the connection, in both
 * directions; other connections are not concerned. The setup reply itself goes out in the clear and every reply
 * after it encrypted: {@link #start} turns encryption on while the thread that sends that reply is marked, so
 * that {@link #outgoing()} leaves that one reply plain, and a request the client sends once it has read the
 * reply always finds the key. The transport asks {@link #incoming()} for each frame it reads and
 * {@link #outgoing()} for each it writes (one volatile read while off). Thread-safe.
 */
public final class ConnectionEncryption {
    private volatile ConnectionCipher cipher;
    private volatile Thread sendingSetupReply;

    /** Whether a session key has been set up on the connection. */
    public boolean active() {
        return cipher != null;
    }

    /** The cipher the connection's requests are decrypted with, or {@code null} while it is not encrypted. */
    public ConnectionCipher incoming() {
        return cipher;
    }

    /**
     * The cipher a reply written now by the calling thread is encrypted with: {@code null} while the connection
     * is not encrypted, and for the setup reply that turns it on.
     */
    public ConnectionCipher outgoing() {
        ConnectionCipher c = cipher;
        return c == null || sendingSetupReply == Thread.currentThread() ? null : c;
    }

    /**
     * Turns encryption on with {@code connectionCipher}, running {@code sendSetupReply} (which must hand the
     * setup reply to the transport on the calling thread) in between, so that this reply alone goes out in the
     * clear. False, and nothing run or changed, if the connection already has a session key.
     */
    synchronized boolean start(ConnectionCipher connectionCipher, Runnable sendSetupReply) {
        Objects.requireNonNull(connectionCipher, "connectionCipher");
        if (cipher != null) {
            return false;
        }
        sendingSetupReply = Thread.currentThread();
        cipher = connectionCipher;
        try {
            sendSetupReply.run();
        } finally {
            sendingSetupReply = null;
        }
        return true;
    }
}
