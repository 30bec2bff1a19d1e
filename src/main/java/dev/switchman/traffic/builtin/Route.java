package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.httpproxy.ProxyContext;
import java.util.function.Function;

/**
 * Where one proxied request goes: the colour and endpoint serving it, and its flight in that colour's counters. A
 * request moves to another endpoint at most once ({@link Failover}). Used on the request's event loop only.
 * One object per request plays both handlers the request needs, so routing it allocates nothing more: the close
 * handler of the client's response (a client gone before the response ended is an abort of the flight of the
 * moment), and the recovery of a failed connection to its endpoint, which is the failover's to decide.
 */
final class Route implements Handler<Void>, Function<Throwable, Future<HttpClientRequest>> {

    private final ProxyContext ctx;
    private final WeightedSelector selector;
    private final Failover failover;
    private Colour colour;
    private Endpoint endpoint;
    private ColourMetrics.Flight flight;
    private boolean moved;

    /** A request picked by {@code selector}, routed by {@code failover}: it must then be served somewhere. */
    Route(ProxyContext ctx, WeightedSelector selector, Failover failover) {
        this.ctx = ctx;
        this.selector = selector;
        this.failover = failover;
    }

    /** Sends the request to {@code endpoint} of {@code colour}, counted from now in that colour's {@code metrics}. */
    void serve(Colour colour, Endpoint endpoint, ColourMetrics metrics) {
        this.colour = colour;
        this.endpoint = endpoint;
        this.flight = metrics.start();
        // Replaces the handler of the connection's previous request, or of this request's previous flight; no allocation.
        ctx.request().proxiedRequest().connection().exceptionHandler(flight);
    }

    /** Like {@link #serve}, for an endpoint other than the one the request was routed to: it moves no further. */
    void moveTo(Colour colour, Endpoint endpoint, ColourMetrics metrics) {
        moved = true;
        serve(colour, endpoint, metrics);
    }

    Colour colour() {
        return colour;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    ColourMetrics.Flight flight() {
        return flight;
    }

    boolean moved() {
        return moved;
    }

    /** The target the request was routed by, for finding it another endpoint. */
    WeightedSelector selector() {
        return selector;
    }

    /** The client for the request's upstream connections (the event loop's). */
    HttpClient upstream() {
        return ctx.client();
    }

    /** Closed (the client closed its connection) or broken (a reset, say, seen before the connection closes). */
    boolean clientGone() {
        HttpServerResponse client = ctx.request().proxiedRequest().response();
        return client.closed() || flight.clientBroke();
    }

    /** The client's response closed before it ended. */
    @Override
    public void handle(Void closed) {
        flight.finish(Outcome.CLIENT_ABORT);
    }

    /** Connecting to the endpoint failed: nothing of the request was sent. */
    @Override
    public Future<HttpClientRequest> apply(Throwable failure) {
        return failover.connectFailed(this, failure);
    }
}
