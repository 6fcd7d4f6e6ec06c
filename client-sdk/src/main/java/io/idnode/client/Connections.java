package io.idnode.client;

import io.idnode.client.internal.TcpRequestChannel;
import io.idnode.client.internal.UdpRequestChannel;
import io.idnode.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The client's sockets, on its one event-loop group: per server a pool of persistent TCP connections
 * ({@link ClientSettings#connectionsPerServer()}, each on its own loop, many requests in flight on each) and one
 * UDP socket. A request goes to the open connection with the fewest requests in flight, or, in a session, to
 * the slot its session is bound to; a closed connection leaves its slot, and the next request for it opens a
 * new one there. Thread-safe.
 */
final class Connections implements AutoCloseable {
    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final int poolSize;
    private final int connectTimeoutMillis;
    private final ConcurrentMap<InetSocketAddress, TcpPool> tcp = new ConcurrentHashMap<>();
    private final ConcurrentMap<InetSocketAddress, CompletableFuture<UdpRequestChannel>> udp = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Sockets on {@code group}; {@code poolSize} connections per server, each given {@code connectTimeoutMillis}. */
    Connections(EventLoopGroup group, NettyTransport transport, int poolSize, int connectTimeoutMillis) {
        this.group = group;
        this.transport = transport;
        this.poolSize = poolSize;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Asks {@link #tcp} for the connection of the pool with the fewest requests in flight. */
    static final int ANY_SLOT = -1;

    /**
     * A TCP connection to {@code server}: an open one, or one being opened (which fails if it cannot connect).
     * {@code slot} {@link #ANY_SLOT} takes the open connection with the fewest requests in flight; a slot of the
     * pool ({@code 0 <= slot < poolSize}) always the connection in that slot, so that the requests of the session
     * bound to it reach the node in the order they were written in (its counters, §6.5).
     */
    CompletableFuture<TcpRequestChannel> tcp(InetSocketAddress server, int slot) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
        }
        TcpPool pool = tcp.computeIfAbsent(server, TcpPool::new);
        return slot == ANY_SLOT ? pool.channel() : pool.inSlot(slot);
    }

    /** Connections kept to each server: the slots of its pool. */
    int poolSize() {
        return poolSize;
    }

    /** The UDP socket for requests to {@code server}, opened on first use. */
    CompletableFuture<UdpRequestChannel> udp(InetSocketAddress server) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
        }
        CompletableFuture<UdpRequestChannel> f = udp.computeIfAbsent(server,
                s -> UdpRequestChannel.open(group.next(), transport, s));
        if (f.isCompletedExceptionally()) {
            udp.remove(server, f); // a socket that failed to open is tried again next time
        }
        return f;
    }

    /** Closes every socket; requests in flight fail. */
    @Override
    public void close() {
        closed = true;
        tcp.values().forEach(TcpPool::close);
        udp.values().forEach(f -> f.thenAccept(UdpRequestChannel::close));
    }

    /** The TCP connections to one server. */
    private final class TcpPool {
        private final InetSocketAddress server;
        private final TcpRequestChannel[] open = new TcpRequestChannel[poolSize];
        @SuppressWarnings("unchecked")
        private final CompletableFuture<TcpRequestChannel>[] opening = new CompletableFuture[poolSize];

        TcpPool(InetSocketAddress server) {
            this.server = server;
        }

        /**
         * The open connection with the fewest requests in flight (a count read off its loop: a hint, slightly
         * stale at worst); a free slot is filled by a new connection, which serves this request only if no other
         * is open.
         */
        synchronized CompletableFuture<TcpRequestChannel> channel() {
            TcpRequestChannel best = null;
            CompletableFuture<TcpRequestChannel> connecting = null;
            for (int i = 0; i < open.length; i++) {
                TcpRequestChannel c = open[i];
                if (c != null && c.isActive()) {
                    if (best == null || c.inFlightCount() < best.inFlightCount()) {
                        best = c;
                    }
                } else if (opening[i] == null) {
                    open[i] = null;
                    CompletableFuture<TcpRequestChannel> f = connect(i);
                    connecting = connecting == null ? f : connecting;
                } else if (connecting == null) {
                    connecting = opening[i];
                }
            }
            if (best != null) {
                return CompletableFuture.completedFuture(best);
            }
            return connecting;
        }

        /** The connection in {@code slot}: open, being opened, or opened now. */
        synchronized CompletableFuture<TcpRequestChannel> inSlot(int slot) {
            TcpRequestChannel c = open[slot];
            if (c != null && c.isActive()) {
                return CompletableFuture.completedFuture(c);
            }
            return opening[slot] != null ? opening[slot] : connect(slot);
        }

        private CompletableFuture<TcpRequestChannel> connect(int slot) {
            CompletableFuture<TcpRequestChannel> f = TcpRequestChannel.connect(group.next(), transport, server,
                    connectTimeoutMillis);
            opening[slot] = f;
            f.whenComplete((c, e) -> connected(slot, f, c)); // may run at once: the slot is set already
            return f;
        }

        private synchronized void connected(int slot, CompletableFuture<TcpRequestChannel> f, TcpRequestChannel c) {
            if (opening[slot] != f) {
                return;
            }
            opening[slot] = null;
            if (c == null) {
                return; // the slot stays free: the next request tries again
            }
            if (closed) {
                c.close();
                return;
            }
            open[slot] = c;
            c.closeFuture().addListener(x -> dropped(slot, c));
        }

        private synchronized void dropped(int slot, TcpRequestChannel c) {
            if (open[slot] == c) {
                open[slot] = null;
            }
        }

        synchronized void close() {
            for (TcpRequestChannel c : open) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
