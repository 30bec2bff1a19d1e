package dev.switchman.traffic.builtin;

import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * A WebSocket upgrade ({@code Upgrade: websocket}) routed by weight like any request, then tunnelled both ways as
 * bytes once the endpoint switched protocols: subprotocols, extensions and frames pass as the two ends agreed them.
 * Its handshake is a request of its colour (an error when it could not be made, as for any request, with the same
 * failover); the open tunnel is counted apart ({@link Tunnels}), so it does not hold a drain, which closes it instead.
 */
final class Tunnel extends Route {

    private final HttpClient upstream;
    private final Failover failover;
    private final ForwardedHeaders forwarded;
    private final Tunnels tunnels;
    private final Context context;
    private NetSocket client;
    private NetSocket server;
    private boolean closed;

    Tunnel(HttpServerRequest request, WeightedSelector selector, HttpClient upstream, Failover failover,
           ForwardedHeaders forwarded, Tunnels tunnels) {
        super(request, selector);
        this.upstream = upstream;
        this.failover = failover;
        this.forwarded = forwarded;
        this.tunnels = tunnels;
        this.context = Vertx.currentContext();
    }

    /** Whether the request asks for a WebSocket (RFC 6455 section 4.1): a GET with {@code Upgrade: websocket}. */
    static boolean isWebSocket(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && request.method() == HttpMethod.GET && upgrade.equalsIgnoreCase("websocket");
    }

    void start() {
        request.response().closeHandler(this);
        connect();
    }

    private void connect() {
        SocketAddress address = SocketAddress.inetSocketAddress(endpoint().port(), endpoint().host());
        upstream.request(new RequestOptions().setServer(address).setMethod(HttpMethod.GET).setURI(request.uri()))
                .onComplete(this::connected);
    }

    private void connected(AsyncResult<HttpClientRequest> connecting) {
        if (connecting.failed()) {
            if (failover.connectFailed(this, connecting.cause())) {
                connect();
            } else {
                fail();
            }
            return;
        }
        HttpClientRequest out = connecting.result();
        if (clientGone()) {
            out.reset();
            return;
        }
        HopByHopHeaders.copy(request.headers(), out.headers(), true);
        HostAndPort authority = request.authority();
        if (authority != null) {
            out.authority(authority);
        }
        forwarded.apply(request, out.headers());
        out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE).putHeader(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET);
        out.connect().onComplete(this::answered);
    }

    private void answered(AsyncResult<HttpClientResponse> answer) {
        if (answer.failed()) {
            if (failover.resend(this)) {
                connect();
            } else {
                fail();
            }
            return;
        }
        HttpClientResponse in = answer.result();
        HttpServerResponse out = request.response();
        if (out.closed()) {
            in.netSocket().close();
            return;
        }
        if (in.statusCode() != 101) {
            // Refused (a 4xx, say): the client gets the endpoint's answer as for any request.
            boolean serverError = in.statusCode() >= 500;
            out.setStatusCode(in.statusCode());
            HopByHopHeaders.copy(in.headers(), out.headers(), false);
            in.body().onComplete(body -> {
                flight().finish(serverError || body.failed() ? Outcome.ERROR : Outcome.SUCCESS);
                if (body.succeeded()) {
                    out.end(body.result());
                } else {
                    out.reset();
                }
            });
            return;
        }
        server = in.netSocket();
        // The endpoint's handshake answer as it gave it: Upgrade, Connection and the Sec-WebSocket-* headers.
        out.setStatusCode(101);
        out.headers().addAll(in.headers());
        request.toNetSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                flight().finish(clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR);
                server.close();
                return;
            }
            flight().finish(Outcome.SUCCESS);
            client = upgraded.result();
            client.closeHandler(v -> close(false));
            server.closeHandler(v -> close(false));
            client.pipeTo(server);
            server.pipeTo(client);
            tunnels.opened(this);
        });
    }

    /** Closes both ends; {@code byRouter} when the colour lost its weight or was drained, not an end that left. */
    void close(boolean byRouter) {
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            closed = true;
            tunnels.closed(this, byRouter);
            client.close();
            server.close();
        });
    }

    private void fail() {
        boolean gone = clientGone();
        flight().finish(gone ? Outcome.CLIENT_ABORT : Outcome.ERROR);
        if (!gone && !request.response().closed()) {
            request.response().setStatusCode(502).end();
        }
    }
}
