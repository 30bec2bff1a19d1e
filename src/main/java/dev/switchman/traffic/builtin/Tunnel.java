package dev.switchman.traffic.builtin;

import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * A WebSocket upgrade ({@code Upgrade: websocket}) routed by weight like any request, then tunnelled both ways as
 * bytes once the endpoint switched protocols: the HTTP codecs leave both connections, and subprotocols, extensions
 * and frames pass as the two ends agreed them. Its handshake is a request of its colour (an error when it could not
 * be made, as for any request, with the same failover); the open tunnel is counted apart ({@link Tunnels}), so it
 * does not hold a drain, which closes it instead. On its own upstream connection, never pooled.
 */
final class Tunnel extends Route implements Front.Stream, Upstream.Listener, Upstreams.Waiter {

    private final Failover failover;
    private final Tunnels tunnels;
    private final Channel client;
    private final boolean keepAlive;
    private final boolean http10;
    /** The endpoint switched protocols: its answer's end is awaited, then bytes flow. */
    private boolean switching;
    private boolean open;
    private boolean answering;
    private HttpResponse refusal;
    private CompositeByteBuf refusalBody;
    private boolean done;
    private boolean closed;

    Tunnel(Front front, HttpRequest request, WeightedSelector selector, Failover failover, ForwardedHeaders forwarded,
           Tunnels tunnels) {
        super(front, request, selector);
        this.failover = failover;
        this.tunnels = tunnels;
        this.client = front.channel();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.http10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        HttpHeaders headers = request.headers();
        HopByHopHeaders.strip(headers);
        forwarded.apply(front.peer(), front.trustedPeer(), front.path().scheme(), headers);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Whether the request asks for a WebSocket (RFC 6455 section 4.1): a GET with {@code Upgrade: websocket}. */
    static boolean isWebSocket(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && request.method() == HttpMethod.GET && upgrade.equalsIgnoreCase("websocket");
    }

    void start() {
        front.serve(this);
        front.upstreams().connect(endpoint(), this);
    }

    @Override
    public void connected(Upstream connection) {
        if (done) {
            connection.channel.close();
            return;
        }
        upstream = connection;
        connection.listen(this);
        connection.channel.write(request, connection.channel.voidPromise());
        connection.channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, connection.channel.voidPromise());
    }

    @Override
    public void connectFailed(Throwable failure) {
        if (done) {
            return;
        }
        if (failover.connectFailed(this, failure)) {
            front.upstreams().connect(endpoint(), this);
        } else {
            fail();
        }
    }

    @Override
    public void inbound(Object message) {
        if (!open || closed) {
            ReferenceCountUtil.release(message); // the handshake's end; a client sends no frame before the 101
            return;
        }
        Channel channel = upstream.channel;
        channel.write(message, channel.voidPromise());
        front.flushAtReadEnd(channel);
        if (!channel.isWritable()) {
            front.pause(Front.FULL_UPSTREAM);
        }
    }

    @Override
    public void upstream(Object message) {
        if (closed || done && !open) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (open) {
            writeDown(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            answering = true;
            if (response.status().code() == 101) {
                // The endpoint's handshake answer as it gave it: Upgrade, Connection and the Sec-WebSocket-* headers.
                switching = true;
                client.write(response, client.voidPromise());
            } else {
                // Refused (a 4xx, say): the client gets the endpoint's answer as for any request, whole.
                HopByHopHeaders.strip(response.headers());
                refusal = response;
                refusalBody = client.alloc().compositeBuffer();
            }
            if (!(message instanceof HttpContent)) {
                return;
            }
        }
        HttpContent content = (HttpContent) message;
        if (switching) {
            content.release();
            if (content instanceof LastHttpContent) {
                upgrade();
            }
            return;
        }
        refusalBody.addComponent(true, content.content().retain());
        content.release();
        if (content instanceof LastHttpContent) {
            refused();
        }
    }

    /** The 101 went out: both connections now carry the endpoints' bytes as they are. */
    private void upgrade() {
        done = true;
        open = true;
        client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, client.voidPromise());
        client.pipeline().remove(HttpServerCodec.class);
        front.tunnel(this);
        flight().finish(Outcome.SUCCESS);
        tunnels.opened(this);
        // Last: what the endpoint sent after its 101 is passed on as the codec leaves its connection.
        upstream.channel.pipeline().remove(HttpClientCodec.class);
    }

    private void refused() {
        done = true;
        int status = refusal.status().code();
        DefaultFullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal.status(), refusalBody,
                refusal.headers(), EmptyHttpHeaders.INSTANCE);
        full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, refusalBody.readableBytes());
        full.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        refusalBody = null;
        upstream.listen(null);
        upstream.channel.close();
        flight().finish(status >= 500 ? Outcome.ERROR : Outcome.SUCCESS);
        front.respond(http10, full, keepAlive);
    }

    @Override
    public void upstreamClosed() {
        if (open) {
            close(false);
            return;
        }
        if (done) {
            return;
        }
        upstream = null;
        if (refusalBody != null) {
            refusalBody.release();
            refusalBody = null;
        }
        if (!answering && !clientGone() && failover.resend(this)) {
            front.upstreams().connect(endpoint(), this);
            return;
        }
        fail();
    }

    @Override
    public void clientClosed() {
        if (open) {
            close(false);
            return;
        }
        flight().finish(Outcome.CLIENT_ABORT);
        if (done) {
            return;
        }
        done = true;
        if (refusalBody != null) {
            refusalBody.release();
            refusalBody = null;
        }
        if (upstream != null) {
            upstream.listen(null);
            upstream.channel.close();
        }
    }

    /** Closes both ends; {@code byRouter} when the colour lost its weight or was drained, not an end that left. */
    void close(boolean byRouter) {
        client.eventLoop().execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            tunnels.closed(this, byRouter);
            client.close();
            upstream.channel.close();
        });
    }

    private void fail() {
        done = true;
        boolean gone = clientGone();
        flight().finish(gone ? Outcome.CLIENT_ABORT : Outcome.ERROR);
        if (gone) {
            return;
        }
        if (answering) {
            client.close();
        } else {
            front.respond(http10, Front.text(HttpResponseStatus.BAD_GATEWAY, ""), keepAlive);
        }
    }
}
