package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Places each request's {@link Route} on an endpoint, and moves a request that endpoint cannot take to another,
 * once. Only when connecting failed (refused, timed out, or a connection closed before the request was written):
 * then nothing of the request went out and none of its body was read, as the router reads a body only into an
 * upstream connection, so it is safe to send again whatever its method and however large or streamed its body.
 * A request that reached its upstream and got no answer (the upstream closed or reset the connection) is sent again
 * only when it is safe and has no body (GET, HEAD, OPTIONS): any other may have been acted on.
 *
 * <p>The endpoint that could not be connected to is marked down ({@link EndpointHealth}). The request goes to an
 * endpoint of the other colour that is not down, whatever that colour's weight (at weight 0 it is the fallback),
 * else to another endpoint of its own colour; with neither, it fails as it would without a second chance (502).
 * The failed attempt is an error of its colour and a retry of that colour; the endpoint that takes the request over
 * counts it in its own colour. So the counters still show the dead colour failing, while no client sees it.
 */
final class Failover {

    private final Map<Colour, ColourMetrics> metrics;
    private final EndpointHealth health;
    private final Predicate<Endpoint> down;

    Failover(Map<Colour, ColourMetrics> metrics, EndpointHealth health) {
        this.metrics = metrics;
        this.health = health;
        this.down = health::isDown;
    }

    /**
     * Places a request the selector just picked: on the pick, unless its endpoint is down. Then on another endpoint
     * of the colour; when the colour has none up, on the other colour (an error and a retry of the picked colour,
     * so that weights given to a dead colour still show in its counters); when nothing is up, on the pick after
     * all, as an endpoint may accept again before its next probe says so.
     */
    void place(Route route, WeightedSelector.Pick pick) {
        WeightedSelector selector = route.selector();
        Colour colour = pick.colour();
        if (!health.isDown(pick.endpoint())) {
            route.serve(colour, pick.endpoint(), metrics.get(colour));
            return;
        }
        Endpoint same = selector.nextUp(colour, down);
        if (same != null) {
            route.serve(colour, same, metrics.get(colour));
            return;
        }
        Colour other = colour.other();
        Endpoint elsewhere = selector.nextUp(other, down);
        if (elsewhere == null) {
            route.serve(colour, pick.endpoint(), metrics.get(colour));
            return;
        }
        metrics.get(colour).unreachable();
        metrics.get(colour).retried();
        route.moveTo(other, elsewhere, metrics.get(other));
    }

    /**
     * Connecting to the route's endpoint failed: nothing of the request was sent. Marks it down; true when the
     * route moved to another endpoint, to connect to next.
     */
    boolean connectFailed(Route route, Throwable failure) {
        health.markDown(route.endpoint(), failure);
        // A client gone needs no answer; its flight is an abort already.
        return !route.moved() && !route.clientGone() && moveElsewhere(route);
    }

    /**
     * The upstream failed after the request went out and before it answered (it closed or reset the connection,
     * as a slot that dies does with the requests it holds). A safe request without a body (GET, HEAD, OPTIONS) is
     * sent once more, to an endpoint of the other colour, else of its own, as nginx does by default: true when the
     * route moved there. Any other request may have been acted on and fails as before (502). The failed attempt is
     * an error of its colour.
     */
    boolean resend(Route route) {
        return !route.moved() && !route.clientGone() && safeWithoutBody(route.request) && moveElsewhere(route);
    }

    /**
     * Moves the route to an endpoint of the other colour that is up, else to another of its own, counting the
     * failed attempt as an error and a retry of its colour; false when no endpoint is up to take it.
     */
    private boolean moveElsewhere(Route route) {
        Colour to = route.colour().other();
        Endpoint elsewhere = route.selector().nextUp(to, down);
        if (elsewhere == null) {
            to = route.colour();
            elsewhere = route.selector().nextUp(to, down);
        }
        if (elsewhere == null) {
            return false;
        }
        route.flight().finish(Outcome.ERROR);
        metrics.get(route.colour()).retried();
        route.moveTo(to, elsewhere, metrics.get(to));
        return true;
    }

    static boolean safeWithoutBody(HttpRequest request) {
        HttpMethod method = request.method();
        return (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS)
                && !hasBody(request.headers());
    }

    /** Whether the request has a body, by its framing (RFC 9112 section 6.3): chunked, or a length above 0. */
    static boolean hasBody(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.equals("0");
    }
}
