package io.idnode.client;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Why one server did not answer: {@code cause} is a {@link java.net.ConnectException}, a
 * {@link java.nio.channels.ClosedChannelException}, a {@link java.util.concurrent.TimeoutException} for a
 * request without reply in {@link ClientSettings#requestTimeout()}, or another I/O failure.
 */
public record ServerFailure(InetSocketAddress server, Throwable cause) {
    public ServerFailure {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(cause, "cause");
    }
}
