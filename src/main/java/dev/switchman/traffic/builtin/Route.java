package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Where one proxied request goes: the colour and endpoint serving it, and its flight in that colour's counters. A
 * request moves to another endpoint at most once ({@link Failover}). Used on the request's event loop only.
 */
class Route {

    final Front front;
    final HttpRequest request;
    private final WeightedSelector selector;
    private Colour colour;
    private Endpoint endpoint;
    private ColourMetrics.Flight flight;
    private boolean moved;

    /** A request of {@code front}'s connection picked by {@code selector}: it must then be served somewhere. */
    Route(Front front, HttpRequest request, WeightedSelector selector) {
        this.front = front;
        this.request = request;
        this.selector = selector;
    }

    /** Sends the request to {@code endpoint} of {@code colour}, counted from now in that colour's {@code metrics}. */
    void serve(Colour colour, Endpoint endpoint, ColourMetrics metrics) {
        this.colour = colour;
        this.endpoint = endpoint;
        this.flight = metrics.start();
        front.flight(flight); // so that a broken client connection is known as such
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
        return !front.channel().isActive() || flight.clientBroke();
    }
}
