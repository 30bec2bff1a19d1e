package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Where one proxied request goes: the colour and endpoint serving it, and its flight in that colour's counters. A
 * request moves to another endpoint at most once ({@link Failover}). Used on the request's event loop only. It is
 * also the close handler of the client's response: a client gone before the response ended is an abort of the
 * flight of the moment.
 */
class Route implements Handler<Void> {

    final HttpServerRequest request;
    private final WeightedSelector selector;
    private Colour colour;
    private Endpoint endpoint;
    private ColourMetrics.Flight flight;
    private boolean moved;

    /** A request picked by {@code selector}: it must then be served somewhere. */
    Route(HttpServerRequest request, WeightedSelector selector) {
        this.request = request;
        this.selector = selector;
    }

    /** Sends the request to {@code endpoint} of {@code colour}, counted from now in that colour's {@code metrics}. */
    void serve(Colour colour, Endpoint endpoint, ColourMetrics metrics) {
        this.colour = colour;
        this.endpoint = endpoint;
        this.flight = metrics.start();
        // Replaces the handler of the connection's previous request, or of this request's previous flight; no allocation.
        request.connection().exceptionHandler(flight);
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

    /** Closed (the client closed its connection) or broken (a reset, say, seen before the connection closes). */
    boolean clientGone() {
        return request.response().closed() || flight.clientBroke();
    }

    /** The client's response closed before it ended. */
    @Override
    public void handle(Void closed) {
        flight.finish(Outcome.CLIENT_ABORT);
    }
}
