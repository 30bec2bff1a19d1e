package dev.switchman.traffic.builtin;

import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request forwarded to its {@link Route}'s endpoint and its response sent back, as the codecs decoded them: the
 * same message objects, without the hop-by-hop headers and with the forwarded ones, the bodies streamed piece by
 * piece with back-pressure both ways, nothing else read. A connection that could not be made, or an upstream that
 * dropped the request unanswered, is the {@link Failover}'s to decide; the flight ends as a success, an error (the
 * upstream failed or answered 5xx) or a client abort. One object per request plays every handler it needs. Used
 * on the request's event loop only.
 */
final class Exchange extends Route implements Front.Stream, Upstream.Listener, Upstreams.Waiter, ChannelFutureListener {

    private final Upstreams upstreams;
    private final Failover failover;
    private final ColourCookie cookie;
    private final Channel client;
    private final boolean hasBody;
    private final boolean keepAlive;
    private final boolean http10;
    private final boolean head;
    private final boolean withoutHost;
    /** The body read before there was an upstream connection to send it on. */
    private ArrayDeque<HttpContent> queued;
    /** Whether the request went out on {@link #upstream}, and all of it. */
    private boolean sent;
    private boolean sentInFull;
    private boolean requestEnded;
    /** A kept-alive connection closed unanswered was replaced with a new one once already. */
    private boolean reconnected;
    private boolean interim;
    /** Whether the response head was written to the client: after that a failure can only cut the connection. */
    private boolean answering;
    private boolean serverError;
    private boolean upstreamKeepAlive;
    /** An HTTP/1.0 client's response without a length, gathered to be sent whole with its length. */
    private HttpResponse wholeHead;
    private CompositeByteBuf whole;
    /**
     * The response head, not written yet: if its end comes in the same read batch (a small response, or one without
     * a body), both go to the client as one message, one pass through the encoder and one buffer on the socket;
     * else it is written before its first content, or at the end of the batch.
     */
    private HttpResponse heldHead;
    private boolean done;

    Exchange(Front front, HttpRequest request, WeightedSelector selector, Failover failover,
             ForwardedHeaders forwarded, ColourCookie cookie) {
        super(front, request, selector);
        this.upstreams = front.upstreams();
        this.failover = failover;
        this.cookie = cookie;
        this.client = front.channel();
        HttpHeaders headers = request.headers();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.http10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        this.head = request.method() == HttpMethod.HEAD;
        this.hasBody = Failover.hasBody(headers);
        HopByHopHeaders.strip(headers);
        if (hasBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED); // the router frames it again
        }
        this.withoutHost = !headers.contains(HttpHeaderNames.HOST);
        forwarded.apply(front.peer(), front.trustedPeer(), front.path().scheme(), headers);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Forwards the request to the endpoint it was placed on. */
    void start() {
        front.serve(this);
        connect();
    }

    private void connect() {
        sent = false;
        upstream = upstreams.idle(endpoint());
        if (upstream != null) {
            send();
            return;
        }
        if (hasBody && !requestEnded) {
            front.pause(Front.CONNECTING); // no more of the body read before it has somewhere to go
        }
        upstreams.connect(endpoint(), this);
    }

    @Override
    public void connected(Upstream connection) {
        if (done) {
            upstreams.release(connection); // nothing was sent on it
            return;
        }
        upstream = connection;
        send();
    }

    @Override
    public void connectFailed(Throwable failure) {
        if (done) {
            return;
        }
        if (failover.connectFailed(this, failure)) {
            connect();
        } else {
            fail();
        }
    }

    private void send() {
        front.resume(Front.CONNECTING);
        Upstream to = upstream;
        to.listen(this);
        if (withoutHost) {
            request.headers().set(HttpHeaderNames.HOST, endpoint().host() + ":" + endpoint().port());
        }
        Channel channel = to.channel;
        sent = true;
        if (!hasBody) {
            // Head and end in one message, one pass through the encoder; the decoded headers, not a copy of them.
            channel.write(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE), channel.voidPromise());
            sentInFull = true;
            flushUpstream(channel);
            return;
        }
        channel.write(request, channel.voidPromise());
        if (queued != null) {
            HttpContent content;
            while ((content = queued.poll()) != null) {
                channel.write(content, channel.voidPromise());
                sentInFull = content instanceof LastHttpContent;
            }
        }
        flushUpstream(channel);
    }

    private void flushUpstream(Channel channel) {
        if (front.reading()) {
            front.flushAtReadEnd(channel);
        } else {
            channel.flush();
        }
    }

    /** The request's body (or the end of a request without one), as the client's connection is read. */
    @Override
    public void inbound(Object message) {
        boolean last = message instanceof LastHttpContent;
        requestEnded |= last;
        if (!hasBody || done || !(message instanceof HttpContent content)) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (!sent) {
            if (queued == null) {
                queued = new ArrayDeque<>(4);
            }
            queued.add(content);
            return;
        }
        Channel channel = upstream.channel;
        channel.write(content, channel.voidPromise());
        sentInFull = last;
        flushUpstream(channel);
        if (!channel.isWritable()) {
            front.pause(Front.FULL_UPSTREAM);
        }
    }

    /** The response, as the upstream's connection is read. */
    @Override
    public void upstream(Object message) {
        if (done) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(message);
                upstream.channel.close(); // not HTTP: as if it dropped the connection
                return;
            }
            int status = response.status().code();
            if (status < 200 && status != 101) {
                interim = true; // 100 Continue, 103 Early Hints: passed on, the final response follows
                writeDown(message);
                return;
            }
            answered(response, status);
            if (message instanceof HttpContent content) {
                body(content);
            }
            return;
        }
        if (interim) {
            interim = !(message instanceof LastHttpContent);
            writeDown(message);
            return;
        }
        body((HttpContent) message);
    }

    private void answered(HttpResponse response, int status) {
        serverError = status >= 500;
        HttpHeaders headers = response.headers();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHopHeaders.strip(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean bodiless = head || status == 204 || status == 304 || status < 200;
        if (!bodiless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (http10) {
                // An HTTP/1.0 client cannot read chunks: its response is sent whole, with its length.
                wholeHead = response;
                whole = client.alloc().compositeBuffer();
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        Front.keepAlive(response, http10, keepAlive);
        cookie.keep(this, headers);
        answering = true;
        if (wholeHead == null) {
            heldHead = response;
        }
    }

    /** The read batch from the upstream ended: a head still held goes out with what else this batch wrote. */
    @Override
    public void upstreamReadComplete() {
        writeHeldHead();
    }

    private void writeHeldHead() {
        HttpResponse held = heldHead;
        if (held != null && !done) {
            heldHead = null;
            writeDown(held);
        }
    }

    private void body(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (whole != null) {
            whole.addComponent(true, content.content().retain());
            content.release();
            if (!last) {
                return;
            }
            DefaultFullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, wholeHead.status(), whole,
                    wholeHead.headers(), ((LastHttpContent) content).trailingHeaders());
            full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, whole.readableBytes());
            whole = null;
            answeredInFull(full);
            return;
        }
        HttpResponse held = heldHead;
        if (held != null && last) {
            heldHead = null;
            answeredInFull(new DefaultFullHttpResponse(held.protocolVersion(), held.status(), content.content(),
                    held.headers(), ((LastHttpContent) content).trailingHeaders()));
            return;
        }
        writeHeldHead();
        if (last) {
            answeredInFull(content);
        } else {
            writeDown(content);
        }
    }

    /** The upstream's response ended: its connection is free, the client's takes the next request once this went out. */
    private void answeredInFull(Object last) {
        done = true;
        Upstream connection = upstream;
        upstream = null;
        ChannelFuture written = client.write(last);
        connection.flushAtReadEnd(client);
        written.addListener(this);
        readUpstream(connection);
        if (sentInFull && upstreamKeepAlive) {
            upstreams.release(connection);
        } else {
            connection.listen(null);
            connection.channel.close(); // it answered before it had all of the request, or said it closes
        }
        front.resume(Front.FULL_UPSTREAM | Front.CONNECTING);
        front.finished(keepAlive);
    }

    /** The response's end went out, or could not: a client gone is an abort, else an error. */
    @Override
    public void operationComplete(ChannelFuture written) {
        flight().finish(serverError ? Outcome.ERROR
                : written.isSuccess() ? Outcome.SUCCESS
                : clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR);
    }

    @Override
    public void upstreamClosed() {
        if (done) {
            return;
        }
        Upstream connection = upstream;
        upstream = null;
        if (answering) {
            // The upstream cut its response short: the client's connection is cut too, so it does not take it for whole.
            done = true;
            flight().finish(clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR);
            if (whole != null) {
                whole.release();
                whole = null;
            }
            client.close();
            return;
        }
        if (clientGone()) {
            clientClosed();
            return;
        }
        if (connection != null && connection.reused && !reconnected && Failover.safeWithoutBody(request)) {
            // A kept-alive connection the endpoint closed as the request went out: the endpoint is up, try a new one.
            reconnected = true;
            sent = false;
            upstreams.connect(endpoint(), this);
            return;
        }
        if (failover.resend(this)) {
            connect();
        } else {
            fail();
        }
    }

    @Override
    public void clientClosed() {
        flight().finish(Outcome.CLIENT_ABORT);
        if (done) {
            return;
        }
        done = true;
        release();
        Upstream connection = upstream;
        upstream = null;
        if (connection != null) {
            connection.listen(null);
            connection.channel.close(); // the rest of the response has nowhere to go
        }
    }

    /** The request cannot be served: 502 to a client still there, unless its response was begun already. */
    private void fail() {
        done = true;
        release();
        front.resume(Front.FULL_UPSTREAM | Front.CONNECTING);
        boolean gone = clientGone();
        flight().finish(gone ? Outcome.CLIENT_ABORT : Outcome.ERROR);
        if (gone) {
            return;
        }
        if (answering) {
            client.close();
        } else {
            // The rest of the body, if any, is read and dropped, so the connection can serve the client's next request.
            front.respond(http10, Front.text(HttpResponseStatus.BAD_GATEWAY, ""), keepAlive);
        }
    }

    private void release() {
        if (queued != null) {
            queued.forEach(ReferenceCountUtil::release);
            queued.clear();
        }
        if (whole != null) {
            whole.release();
            whole = null;
        }
    }
}
