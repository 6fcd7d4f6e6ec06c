package io.idnode.server.http;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.ReplySink;
import io.idnode.handler.SessionSeal;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.transport.RequestMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native Handle messages over HTTP (handle-protocol.md §1.5): a POST of {@value #MEDIA_TYPE} whose body is
 * envelope + message, decoded, answered by the request chain and encoded exactly as over TCP; the response body
 * is the encoded replies one after the other (a listing's pages, each but the last with CN). Each message is counted
 * in the node's request meters with transport {@code http}.
 */
final class NativeMessageEndpoint implements HttpEndpoint {
    /** Media type of a native message (§1.5). */
    static final String MEDIA_TYPE = "application/x-hdl-message";
    private static final Logger LOG = LoggerFactory.getLogger(NativeMessageEndpoint.class);

    private final RequestChain chain;
    private final Executor blocking;
    private final RequestMeters meters;
    private final MessageCodec codec = MessageCodec.DEFAULT;

    NativeMessageEndpoint(RequestChain chain, Executor blocking, RequestMeters meters) {
        this.chain = chain;
        this.blocking = blocking;
        this.meters = meters;
    }

    @Override
    public boolean accepts(HttpRequest request, QueryStringDecoder uri) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return request.method().equals(HttpMethod.POST) && type != null
                && type.regionMatches(true, 0, MEDIA_TYPE, 0, MEDIA_TYPE.length());
    }

    @Override
    public CompletionStage<FullHttpResponse> answer(FullHttpRequest request, QueryStringDecoder uri,
            HttpExchange exchange) {
        byte[] frame = ByteBufUtil.getBytes(request.content());
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(frame, 0);
        } catch (CodecException e) {
            return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "not a Handle message: " + e.getMessage()));
        }
        Message message;
        try {
            if (frame.length - EnvelopeLayout.LENGTH != envelope.messageLength()) {
                throw new CodecException("envelope announces " + envelope.messageLength() + " message bytes, body has "
                        + (frame.length - EnvelopeLayout.LENGTH));
            }
            message = codec.decodeMessage(envelope, frame, EnvelopeLayout.LENGTH, frame.length - EnvelopeLayout.LENGTH);
        } catch (CodecException e) {
            meters.count(null, RequestMeters.Transport.HTTP, ResponseCode.PROTOCOL_ERROR);
            return CompletableFuture.completedFuture(
                    response(chain.encoder().encode(chain.replies().protocolError(envelope, e), alloc)));
        }
        Collector out = new Collector(alloc, exchange, message.header() == null ? null : message.opCode());
        if (!chain.mayBlock(message)) {
            chain.handle(message, new SourceContext(null, null), out);
            return out.done;
        }
        try {
            blocking.execute(() -> chain.handle(message,
                    new SourceContext(exchange.remote().getAddress(), null), out));
        } catch (RejectedExecutionException full) {
            out.reply(chain.replies().busy(message), null);
        }
        return out.done;
    }

    private static FullHttpResponse response(ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        return r;
    }

    /** Encodes each reply as it comes, as TCP would send it; complete at the last. */
    private final class Collector implements ReplySink {
        private final ByteBufAllocator alloc;
        private final HttpExchange exchange;
        private final CompositeByteBuf frames;
        private final OpCode op;
        private final long start = meters.sampleStart();
        final CompletableFuture<FullHttpResponse> done = new CompletableFuture<>();

        Collector(ByteBufAllocator alloc, HttpExchange exchange, OpCode op) {
            this.alloc = alloc;
            this.exchange = exchange;
            this.frames = alloc.compositeBuffer();
            this.op = op;
        }

        @Override
        public synchronized void reply(Message reply, SessionSeal seal) {
            frames.addComponent(true, chain.encoder().encode(reply, seal, alloc));
            if (!reply.hasFlag(OpFlags.CONTINUOUS)) {
                meters.count(op, RequestMeters.Transport.HTTP, reply.responseCode());
                meters.timeSince(op, RequestMeters.Transport.HTTP, start);
                done.complete(response(frames));
            }
        }

        @Override
        public void fault(Message request, Throwable cause) {
            String what = request.header() == null ? "encrypted request" : request.opCode().toString();
            LOG.error("{} {} over HTTP from {} failed; answered 2", what, request.requestId(), exchange.remote(),
                    cause);
            try {
                reply(chain.replies().internalError(request), null);
            } catch (RuntimeException e) {
                synchronized (this) {
                    frames.release();
                }
                done.completeExceptionally(e);
            }
        }
    }
}
