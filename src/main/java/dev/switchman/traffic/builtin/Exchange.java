package dev.switchman.traffic.builtin;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

/**
 * One request forwarded to its {@link Route}'s endpoint and its response sent back: the headers copied once each way
 * without the hop-by-hop ones, the bodies streamed with back-pressure, nothing else read. A connection that could
 * not be made, or an upstream that dropped the request unanswered, is the {@link Failover}'s to decide; the flight
 * ends as a success, an error (the upstream failed or answered 5xx) or a client abort. One object per request plays
 * every handler it needs. Used on the request's event loop only.
 */
final class Exchange extends Route {

    private final UpstreamPool pool;
    private final Failover failover;
    private final ForwardedHeaders forwarded;
    private final boolean hasBody;
    /** The connection to the endpoint of the moment, once there is one. */
    private UpstreamPool.Connection connection;
    /** The request to the endpoint of the moment, once connected. */
    private HttpClientRequest sent;
    /** Whether all of the request went out, so that its connection can serve another once the response ended. */
    private boolean requestEnded;
    /** Whether the response head was written to the client: after that a failure can only cut the connection. */
    private boolean answering;
    private boolean serverError;

    Exchange(HttpServerRequest request, WeightedSelector selector, UpstreamPool pool, Failover failover,
             ForwardedHeaders forwarded) {
        super(request, selector);
        this.pool = pool;
        this.failover = failover;
        this.forwarded = forwarded;
        this.hasBody = Failover.hasBody(request.headers());
    }

    /** Forwards the request to the endpoint it was placed on. */
    void start() {
        if (hasBody) {
            request.pause(); // not a byte read before an upstream connection exists, so a failover can send it whole
        }
        request.response().closeHandler(this);
        connect();
    }

    @Override
    public void handle(Void closed) {
        super.handle(closed);
        if (sent != null) {
            sent.reset(); // the rest of the response has nowhere to go: free the upstream connection of it
        }
    }

    private void connect() {
        sent = null;
        connection = pool.idle(endpoint());
        if (connection != null) {
            send();
            return;
        }
        Future<UpstreamPool.Connection> connecting;
        try {
            connecting = pool.connect(endpoint());
        } catch (IllegalStateException closed) {
            fail(); // the router is closing: its upstream client is gone
            return;
        }
        connecting.onComplete(this::connectedAnew);
    }

    private void connectedAnew(AsyncResult<UpstreamPool.Connection> connecting) {
        if (connecting.failed()) {
            connectFailed(connecting.cause());
            return;
        }
        connection = connecting.result();
        send();
    }

    private void send() {
        Endpoint endpoint = connection.endpoint;
        connection.connection.request(new RequestOptions().setHost(endpoint.host()).setPort(endpoint.port())
                        .setMethod(request.method()).setURI(request.uri()))
                .onComplete(this::connected);
    }

    private void connectFailed(Throwable failure) {
        if (failover.connectFailed(this, failure)) {
            connect();
        } else {
            fail();
        }
    }

    private void connected(AsyncResult<HttpClientRequest> connecting) {
        if (connecting.failed()) {
            if (connection.reused) {
                // A kept-alive connection that closed in the instant before: nothing was sent, the endpoint is up.
                pool.connect(connection.endpoint).onComplete(this::connectedAnew);
            } else {
                connectFailed(connecting.cause());
            }
            return;
        }
        HttpClientRequest out = connecting.result();
        if (clientGone()) {
            out.reset();
            return;
        }
        sent = out;
        HopByHopHeaders.copy(request.headers(), out.headers(), true);
        HostAndPort authority = request.authority();
        if (authority != null) {
            out.authority(authority); // the client's Host header
        }
        forwarded.apply(request, out.headers());
        out.response().onComplete(this::answered);
        if (!hasBody) {
            out.end();
            requestEnded = true;
            return;
        }
        if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        // A client that stops sending its body mid-way must not leave a complete-looking request upstream.
        request.pipe().endOnFailure(false).to(out).onComplete(piped -> {
            if (piped.succeeded()) {
                requestEnded = true;
            } else {
                out.reset();
            }
        });
    }

    private void answered(AsyncResult<HttpClientResponse> answer) {
        if (answer.failed()) {
            if (sent != null && failover.resend(this)) {
                connect();
            } else {
                fail();
            }
            return;
        }
        HttpClientResponse in = answer.result();
        HttpServerResponse out = request.response();
        if (out.closed()) {
            return; // an abort already, and the upstream request reset
        }
        int status = in.statusCode();
        serverError = status >= 500;
        out.setStatusCode(status);
        if (in.statusMessage() != null) {
            out.setStatusMessage(in.statusMessage());
        }
        HopByHopHeaders.copy(in.headers(), out.headers(), false);
        answering = true;
        boolean bodiless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodiless && !in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            if (request.version() == HttpVersion.HTTP_1_0) {
                // An HTTP/1.0 client cannot read chunks: its response is sent whole, with its length.
                in.exceptionHandler(this::upstreamBroke);
                in.body().onSuccess(body -> {
                    answeredInFull();
                    out.end(body).onComplete(this::ended);
                });
                return;
            }
            out.setChunked(true);
        }
        in.exceptionHandler(this::upstreamBroke);
        in.handler(new Forward(in, out));
        in.endHandler(end -> {
            answeredInFull();
            out.end().onComplete(this::ended);
        });
    }

    /** The upstream's response ended: nothing to reset if the client leaves now, and its connection is free. */
    private void answeredInFull() {
        sent = null;
        if (requestEnded) {
            pool.release(connection);
        } else {
            connection.connection.close(); // it answered before it had all of the request: the rest would follow
        }
        connection = null;
    }

    /** The response ended, or could not be written: a client gone is an abort, else an error. */
    private void ended(AsyncResult<Void> ended) {
        flight().finish(serverError ? Outcome.ERROR
                : ended.succeeded() ? Outcome.SUCCESS
                : clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR);
    }

    /** The upstream cut its response short: the client's connection is cut too, so it does not take it for whole. */
    private void upstreamBroke(Throwable failure) {
        flight().finish(clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR);
        request.response().reset();
    }

    /** The request cannot be served: 502 to a client still there, unless its response was begun already. */
    private void fail() {
        boolean gone = clientGone();
        flight().finish(gone ? Outcome.CLIENT_ABORT : Outcome.ERROR);
        if (hasBody) {
            request.resume(); // its body is read and dropped, so the connection can serve the client's next request
        }
        HttpServerResponse out = request.response();
        if (gone || out.closed()) {
            return;
        }
        if (answering) {
            out.reset();
        } else {
            out.setStatusCode(502).end();
        }
    }

    /** Writes the upstream's body to the client, pausing the upstream while the client's connection is full. */
    private static final class Forward implements Handler<Buffer> {
        private final HttpClientResponse in;
        private final HttpServerResponse out;

        Forward(HttpClientResponse in, HttpServerResponse out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void handle(Buffer data) {
            out.write(data);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(drained -> in.resume());
            }
        }
    }
}
