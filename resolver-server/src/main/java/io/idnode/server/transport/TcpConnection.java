package io.idnode.server.transport;

import io.idnode.handler.session.ConnectionEncryption;
import io.idnode.handler.session.ConnectionLogin;
import io.idnode.handler.session.LoginConnection;
import io.idnode.model.ValueReference;
import java.net.InetAddress;

/**
 * What the chain knows of one TCP connection beyond each request's bytes: the sender's address and the
 * connection's login (cn-extensions.md §3.3), which a LOGIN on it binds and which dies with it, and its
 * encryption, which a SESSION_SETUP in mode 3 on it turns on for good (§4). A standard
 * challenge answer does not bind the connection (the stock client opens one connection per request).
 */
final class TcpConnection implements LoginConnection {
    private final InetAddress source;
    private final ConnectionLogin login = new ConnectionLogin();
    private final ConnectionEncryption encryption = new ConnectionEncryption();

    TcpConnection(InetAddress source) {
        this.source = source;
    }

    @Override
    public ConnectionLogin login() {
        return login;
    }

    @Override
    public ConnectionEncryption encryption() {
        return encryption;
    }

    @Override
    public ValueReference authenticatedAs() {
        return null; // the login link says who a request runs as, by its session id
    }

    @Override
    public void authenticated(ValueReference identity) {
        // only a LOGIN binds a connection
    }

    @Override
    public InetAddress source() {
        return source;
    }
}
