package io.idnode.transport;

import io.idnode.codec.Limits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation of a process: native epoll where it loads, NIO elsewhere. The one place that
 * chooses, so that the node, the client transport and the load tools build their event loops and channels
 * alike.
 */
public enum NettyTransport {
    /** Linux native epoll: recvmmsg/sendmmsg batches and SO_REUSEPORT. */
    EPOLL,
    /** Java NIO, everywhere. */
    NIO;

    /** Receive space per datagram: a Handle datagram is at most 512 bytes (§1.3); 2 KiB shows larger ones as such. */
    public static final int DATAGRAM_BUFFER = 4 * Limits.MAX_UDP_DATAGRAM;
    /** Datagrams one read of a server socket takes in at most (epoll: one recvmmsg). */
    public static final int DATAGRAMS_PER_READ = 16;

    /** Epoll when the native library loads on this machine, else NIO. */
    public static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** A new event-loop group of {@code threads} loops of this kind. */
    public EventLoopGroup newGroup(int threads) {
        IoHandlerFactory io = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, io);
    }

    /** The TCP client channel class. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The TCP listening channel class. */
    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The UDP channel class. */
    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * How many UDP sockets a server binds to its port for {@code eventLoops} loops: one per loop with epoll
     * (they share the port through SO_REUSEPORT), one with NIO.
     */
    public int serverDatagramSockets(int eventLoops) {
        return this == EPOLL ? eventLoops : 1;
    }

    /**
     * Sets the options of one of a server's UDP sockets on {@code b}: with epoll, SO_REUSEPORT and reads of up
     * to {@link #DATAGRAMS_PER_READ} datagrams in one recvmmsg; with NIO, one datagram per read.
     */
    public Bootstrap serverDatagramOptions(Bootstrap b) {
        b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                (this == EPOLL ? DATAGRAMS_PER_READ : 1) * DATAGRAM_BUFFER));
        if (this == EPOLL) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
            // With a payload size set, each read is one recvmmsg filling the buffer with up to
            // DATAGRAMS_PER_READ datagrams (one system call for a burst of requests).
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_BUFFER);
        }
        return b;
    }

    /**
     * A server's TCP bootstrap on {@code group}: this transport's server channel, a backlog of 1,024, the address
     * reusable at once after a restart, and no Nagle delay on the connections it accepts.
     */
    public ServerBootstrap serverStreamBootstrap(EventLoopGroup group) {
        return new ServerBootstrap()
                .group(group)
                .channel(serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }
}
