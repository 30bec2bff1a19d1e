package dev.switchman.traffic.builtin;

import dev.switchman.model.Endpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to an endpoint, kept alive between requests in its event loop's {@link Upstreams}. What it reads
 * goes to the request it serves now; what that wrote to the client meanwhile is flushed once per read batch. Event
 * loop only.
 */
final class Upstream extends ChannelInboundHandlerAdapter {

    /** The request an upstream connection serves now. */
    interface Listener {
        /** A message read from the endpoint (a response's head or content, or a tunnel's bytes); the listener owns it. */
        void upstream(Object message);

        /** The connection closed, or broke. */
        void upstreamClosed();

        /** The connection can take more again. */
        void upstreamWritable();

        /** What was read from the connection in one batch was given to {@link #upstream}; before the client's flush. */
        default void upstreamReadComplete() {}
    }

    final Channel channel;
    final Endpoint endpoint;
    /** Whether it served a request before: then the endpoint may have closed it in the instant before this one. */
    boolean reused;
    long idleSince;
    private Listener listener;
    /** The client connection written to during this read batch, flushed at its end. */
    private Channel flushAtReadEnd;

    Upstream(Channel channel, Endpoint endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
    }

    /** Gives what it reads to {@code listener} from now on (null: nobody, between requests). */
    void listen(Listener listener) {
        this.listener = listener;
    }

    /** Flushes {@code client} at the end of this read batch. */
    void flushAtReadEnd(Channel client) {
        Channel before = flushAtReadEnd;
        if (before != null && before != client) {
            before.flush();
        }
        flushAtReadEnd = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Listener to = listener;
        if (to != null) {
            to.upstream(message);
        } else {
            // Nothing was asked: an endpoint talking out of turn on an idle connection cannot be trusted with the next.
            ReferenceCountUtil.release(message);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener to = listener;
        if (to != null) {
            to.upstreamReadComplete();
        }
        Channel client = flushAtReadEnd;
        if (client != null) {
            flushAtReadEnd = null;
            client.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Listener to = listener;
        if (to != null && ctx.channel().isWritable()) {
            to.upstreamWritable();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // the request it serves learns of it as the connection closes
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel client = flushAtReadEnd;
        flushAtReadEnd = null;
        if (client != null) {
            client.flush();
        }
        Listener to = listener;
        listener = null;
        if (to != null) {
            to.upstreamClosed();
        }
    }
}
