package io.idnode.handler.session;

import io.idnode.model.ValueReference;

/** A connection as the TCP transport gives it to the chain: its own login and encryption state, nothing else. */
record TestConnection(ConnectionLogin login, ConnectionEncryption encryption) implements LoginConnection {
    TestConnection() {
        this(new ConnectionLogin(), new ConnectionEncryption());
    }

    @Override
    public ValueReference authenticatedAs() {
        return null;
    }

    @Override
    public void authenticated(ValueReference identity) {
        // only a LOGIN binds a connection
    }
}
