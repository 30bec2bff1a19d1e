package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Where one proxied request goes: the colour and endpoint serving it, the connection to that endpoint, and its
 * flight in that colour's counters. What the endpoint answers goes down to the client with back-pressure: while the
 * client's connection is full, the endpoint's is not read. A request moves to another endpoint at most once
 * ({@link Failover}). Used on the request's event loop only.
 */
class Route {

    final Front front;
    final HttpRequest request;
    private final WeightedSelector selector;
    private Colour colour;
    private Endpoint endpoint;
    private ColourMetrics.Flight flight;
    private boolean moved;
    /** The connection to the endpoint of the moment, once there is one. */
    Upstream upstream;
    /** {@link #upstream} is not read while the client's connection is full. */
    private boolean upstreamPaused;

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

    /** Writes {@code message} to the client, flushed at the end of the upstream's read batch. */
    final void writeDown(Object message) {
        Channel client = front.channel();
        client.write(message, client.voidPromise());
        upstream.flushAtReadEnd(client);
        if (!client.isWritable() && !upstreamPaused) {
            upstreamPaused = true;
            upstream.channel.config().setAutoRead(false);
        }
    }

    /** The upstream's connection can take more: the client's is read again. */
    public void upstreamWritable() {
        front.resume(Front.FULL_UPSTREAM);
    }

    /** The client's connection can take more: the upstream's is read again. */
    public void clientWritable() {
        if (upstream != null) {
            readUpstream(upstream);
        }
    }

    /** Reads {@code connection} again if it was stopped for a full client. */
    final void readUpstream(Upstream connection) {
        if (upstreamPaused) {
            upstreamPaused = false;
            connection.channel.config().setAutoRead(true);
        }
    }
}
