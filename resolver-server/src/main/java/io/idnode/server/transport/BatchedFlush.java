package io.idnode.server.transport;

import io.netty.channel.ChannelHandlerContext;

/**
 * Flushes the replies written while a read batch is handled once, when the batch ends, so that a burst of
 * requests is answered with one system call (sendmmsg on UDP with epoll, one writev on TCP); a reply written
 * at any other time (e.g. from the blocking executor) is flushed at once. One per channel handler; the read
 * state is only touched on the channel's event loop.
 */
final class BatchedFlush {
    private boolean reading;
    private boolean pending;

    /** Called when a message of the current read batch starts being handled. */
    void startRead() {
        reading = true;
    }

    /** Called when that message has been handled (in a {@code finally}). */
    void endRead() {
        reading = false;
    }

    /** Called after a reply was written: flushes it now unless the current read batch will. */
    void written(ChannelHandlerContext ctx) {
        if (ctx.executor().inEventLoop() && reading) {
            pending = true;
        } else {
            ctx.flush();
        }
    }

    /** Called from {@code channelReadComplete}: flushes what the batch wrote. */
    void readComplete(ChannelHandlerContext ctx) {
        if (pending) {
            pending = false;
            ctx.flush();
        }
    }
}
