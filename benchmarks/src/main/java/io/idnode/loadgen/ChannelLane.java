package io.idnode.loadgen;

import io.idnode.client.internal.RequestChannel;
import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;

/**
 * Requests over one channel of the client transport: a UDP socket, or a persistent TCP connection with many
 * requests in flight. When the connection is lost every request in flight fails and the lane stops sending.
 */
final class ChannelLane extends Lane {
    private final RequestChannel channel;

    ChannelLane(RequestChannel channel, Workload work, SplittableRandom random, long quota) {
        super(channel.loop(), work, random, quota);
        this.channel = channel;
    }

    @Override
    void transmit(LoadRequest request, ByteBuf frame) {
        channel.send(request, frame, timeoutNanos);
    }

    @Override
    int inFlight() {
        return channel.inFlightCount();
    }

    @Override
    long unmatched() {
        return channel.unmatchedReplies();
    }

    @Override
    boolean acceptsMore() {
        return channel.isActive();
    }

    @Override
    void close() {
        channel.close();
    }
}
