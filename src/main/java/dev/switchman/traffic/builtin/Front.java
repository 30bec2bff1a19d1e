package dev.switchman.traffic.builtin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection on the public port: its requests one after the other, each routed by {@link ProxyRouting}
 * and served by an {@link Exchange} (or a {@link Tunnel}); a request pipelined behind one still being answered waits
 * here, decoded, until that response ended. It reads as long as nothing pushes back: a full upstream connection, a
 * request waiting for its upstream connection or held by the pause, or too many requests waiting. What the
 * request's exchange wrote upstream while this connection was being read is flushed once per read batch. Event
 * loop only.
 */
final class Front extends ChannelInboundHandlerAdapter {

    /** What the messages of a request after its head go to: its exchange, its tunnel, or nothing (dropped). */
    interface Stream {
        /** The next message of the request (content, its end, or a tunnel's bytes); the stream owns it. */
        void inbound(Object message);

        /** The client's connection closed. */
        void clientClosed();

        /** The client's connection can take more again. */
        void clientWritable();
    }

    /** The body of a request answered without an upstream (health path, 503, 502): read and dropped. */
    private static final Stream DROP = new Stream() {
        @Override
        public void inbound(Object message) {
            ReferenceCountUtil.release(message);
        }

        @Override
        public void clientClosed() {}

        @Override
        public void clientWritable() {}
    };

    /** Reasons not to read from the client now, as bits: reading goes on while there is none. */
    static final int FULL_UPSTREAM = 1;
    static final int CONNECTING = 2;
    static final int HELD = 4;
    private static final int PIPELINED = 8;
    /** Requests pipelined ahead that may wait decoded here before the connection stops reading. */
    private static final int MAX_PIPELINED = 16;

    private final PublicPort path;
    private Channel channel;
    private Upstreams upstreams;
    private String peer;
    private boolean trustedPeer;
    /** The requests (and their contents) waiting for the one being answered. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Where the current request's messages go until its end; null between requests. */
    private Stream body;
    /** What serves the request being answered; null between responses. */
    private Stream serving;
    /** A request is being answered (or held): the next waits. */
    private boolean busy;
    private int pauses;
    private ColourMetrics.Flight flight;
    /** An upstream connection written to during this read batch, flushed at its end. */
    private Channel flushAtReadEnd;
    private boolean reading;

    Front(PublicPort path) {
        this.path = path;
    }

    Channel channel() {
        return channel;
    }

    String peer() {
        return peer;
    }

    boolean trustedPeer() {
        return trustedPeer;
    }

    PublicPort path() {
        return path;
    }

    /** The upstream connections of this connection's event loop. */
    Upstreams upstreams() {
        return upstreams;
    }

    /** The flight of the request being served, told when the connection breaks. */
    void flight(ColourMetrics.Flight flight) {
        this.flight = flight;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (channel.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            peer = remote.getAddress().getHostAddress();
        }
        trustedPeer = peer != null && path.forwarded().trusts(peer);
        upstreams = path.upstreams(channel.eventLoop());
        path.opened(channel);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        reading = true;
        dispatch(message);
    }

    private void dispatch(Object message) {
        Stream to = body;
        if (to != null) {
            if (message instanceof LastHttpContent) {
                body = null;
            }
            to.inbound(message);
        } else if (busy) {
            pending.add(message);
            if (pending.size() > MAX_PIPELINED) {
                pause(PIPELINED);
            }
        } else if (message instanceof HttpRequest request) {
            begin(request);
        } else {
            ReferenceCountUtil.release(message); // the rest of a request answered already
        }
    }

    private void begin(HttpRequest request) {
        busy = true;
        body = DROP;
        serving = null;
        flight = null;
        if (request.decoderResult().isFailure()) {
            respond(request, text(HttpResponseStatus.BAD_REQUEST, "bad request: " + request.decoderResult().cause().getMessage()
                    + "\n"), false);
            return;
        }
        path.routing().route(this, request);
    }

    /** The rest of the current request goes to {@code stream}, and it is told of the connection from now on. */
    void serve(Stream stream) {
        serving = stream;
        if (body != null) {
            body = stream;
        }
    }

    /** A tunnel took over the connection: every byte read from now on goes to it. */
    void tunnel(Stream stream) {
        serving = stream;
        body = stream;
    }

    /** The request is held by the pause: the rest of it waits here, unread from the socket meanwhile. */
    void held() {
        body = null; // its messages wait in pending, in order, for the route it gets when the pause ends
        pause(HELD);
    }

    /** The pause ended: {@code request} is routed now, with what of it was read meanwhile. */
    void released(HttpRequest request) {
        resume(HELD);
        if (!channel.isActive()) {
            return;
        }
        body = DROP; // until the route says where the rest of the request goes
        path.routing().route(this, request);
        drain();
    }

    /** The pause's bound ran out with the request still held: 503, and the connection closed (its body is unread). */
    void refuse(HttpRequest request) {
        resume(HELD);
        FullHttpResponse response = text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "held while the database changed, for longer than the pause's bound: retry\n");
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        respond(request, response, false);
    }

    /** Whether a request is being answered now (or held). */
    boolean busy() {
        return busy;
    }

    /** A whole response of {@code status} with {@code text}, sent by the router itself. */
    static FullHttpResponse text(HttpResponseStatus status, String text) {
        ByteBuf content = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    /**
     * Sends {@code response}, a whole one, as the answer to the current request, then goes on to the next if
     * {@code keepAlive}, else closes the connection once it went out.
     */
    void respond(HttpRequest request, FullHttpResponse response, boolean keepAlive) {
        respond(request.protocolVersion() == HttpVersion.HTTP_1_0, response, keepAlive);
    }

    /** As {@link #respond(HttpRequest, FullHttpResponse, boolean)}, to a request in HTTP/1.0 when {@code http10}. */
    void respond(boolean http10, FullHttpResponse response, boolean keepAlive) {
        keepAlive(response, http10, keepAlive);
        if (!channel.isActive()) {
            response.release();
            finished(true);
            return;
        }
        channel.writeAndFlush(response, channel.voidPromise());
        finished(keepAlive);
    }

    /** Sets the response's Connection header for its client (in HTTP/1.0 if {@code http10}): close, or keep-alive for 1.0. */
    static void keepAlive(HttpResponse response, boolean http10, boolean keepAlive) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * The response to the current request ended (written, or given up): the next request is taken, unless
     * {@code keepAlive} is false, when the connection closes once what was written went out.
     */
    void finished(boolean keepAlive) {
        busy = false;
        serving = null;
        flight = null;
        if (!keepAlive || path.closing()) {
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        drain();
    }

    /** Takes the messages that waited, until one request is being answered again. */
    private void drain() {
        Object message;
        while (!(busy && body == null) && (message = pending.poll()) != null) {
            dispatch(message);
        }
        if (pending.size() <= MAX_PIPELINED) {
            resume(PIPELINED);
        }
    }

    /** Stops reading from the client for {@code reason}, until {@link #resume} of it. */
    void pause(int reason) {
        int before = pauses;
        pauses |= reason;
        if (before == 0 && channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    void resume(int reason) {
        if ((pauses & reason) == 0) {
            return;
        }
        pauses &= ~reason;
        if (pauses == 0 && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Whether the client connection is being read now: what goes upstream meanwhile is flushed at the batch's end. */
    boolean reading() {
        return reading;
    }

    /** Flushes {@code upstream} at the end of this read batch. */
    void flushAtReadEnd(Channel upstream) {
        Channel before = flushAtReadEnd;
        if (before != null && before != upstream) {
            before.flush();
        }
        flushAtReadEnd = upstream;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        Channel upstream = flushAtReadEnd;
        if (upstream != null) {
            flushAtReadEnd = null;
            upstream.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Stream to = serving;
        if (to != null && ctx.channel().isWritable()) {
            to.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset, say: the request being served is an abort, known before the proxy reacts to it.
        ColourMetrics.Flight current = flight;
        if (current != null) {
            current.handle(cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Stream to = serving;
        serving = null;
        body = null;
        if (to != null) {
            to.clientClosed();
        }
        Channel upstream = flushAtReadEnd;
        flushAtReadEnd = null;
        if (upstream != null) {
            upstream.flush();
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        path.closed(channel);
        ctx.fireChannelInactive();
    }
}
