package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the colour and endpoint of each proxied request from the current {@link WeightedSelector} and counts
 * it per colour until its response has ended or failed: as an error when the upstream failed or answered 5xx, as
 * a client abort when the client went away first; answers 503 when there is nothing to route to. An endpoint that
 * cannot be connected to is passed over, and its requests sent elsewhere, by the {@link Failover}. The
 * selector is one immutable snapshot of the target: a switch replaces it at once, and requests already sent to
 * the old colour finish there. One instance serves the proxies of every event loop.
 */
final class ProxyRouting {

    private final Map<Colour, ColourMetrics> metrics = new EnumMap<>(Colour.class);
    private final ForwardedHeaders forwarded;
    private final EndpointHealth health;
    private final Failover failover;
    private final Tunnels tunnels;
    private final Hold hold;
    private volatile WeightedSelector selector;
    private volatile String healthPath;
    private volatile ColourCookie colourCookie = ColourCookie.NONE;
    private volatile boolean stopping;

    /**
     * Routes to {@code initial} (null: no target yet), keeps the forwarded headers of {@code trusted} proxies only,
     * registers the per-colour meters in {@code registry}, and probes endpoints that are down with {@code vertx}.
     */
    ProxyRouting(Vertx vertx, TrafficTarget initial, TrustedProxies trusted, MeterRegistry registry) {
        this.selector = initial == null ? null : new WeightedSelector(initial);
        this.forwarded = new ForwardedHeaders(trusted);
        for (Colour colour : Colour.values()) {
            metrics.put(colour, new ColourMetrics(colour, registry, () -> weight(colour)));
        }
        this.health = new EndpointHealth(vertx, this::target);
        this.failover = new Failover(metrics, health);
        this.tunnels = new Tunnels(registry);
        this.hold = new Hold(vertx);
        followTarget(initial);
    }

    /**
     * Answers {@code path} on the public port itself, for a load balancer in front: 200 while there is a target with
     * weight, 503 without one or once the router is {@link #stopping}. Null: every path is routed.
     */
    void healthPath(String path) {
        this.healthPath = path;
    }

    /** Keeps each client on a colour with {@code cookie} ({@link ColourCookie#NONE}: every request goes by weight). */
    void sticky(ColourCookie cookie) {
        this.colourCookie = cookie;
    }

    /** The router is shutting down: its health path answers 503 from now on, while requests being served finish. */
    void stopping() {
        this.stopping = true;
    }

    /** The forwarded headers as the router sets them. */
    ForwardedHeaders forwarded() {
        return forwarded;
    }

    /** Probes the endpoints that are down at once; completes when each probe has ended, never failed. */
    Future<Void> recheck() {
        return health.recheck();
    }

    /** Stops probing the endpoints that are down. */
    Future<Void> close() {
        return health.close();
    }

    /** The target applied now, or null. */
    TrafficTarget target() {
        WeightedSelector current = selector;
        return current == null ? null : current.target();
    }

    /** Routes to {@code target} from the next request on; the same target again keeps the rotation where it is. */
    void apply(TrafficTarget target) {
        WeightedSelector current = selector;
        if (current == null || !Objects.equals(current.target(), target)) {
            selector = new WeightedSelector(target);
        }
        followTarget(target);
    }

    /** Closes the WebSocket tunnels of {@code colour}, as a drain does; those opening meanwhile are closed once open. */
    void drain(Colour colour) {
        tunnels.drain(colour);
    }

    /** The router's pause, which holds new requests before they are routed. */
    Hold hold() {
        return hold;
    }

    /** Requests of every colour in flight now. */
    long inFlight() {
        return metrics.values().stream().mapToLong(ColourMetrics::inFlight).sum();
    }

    /** The tunnels open now and closed by a drain, by colour. */
    Tunnels tunnels() {
        return tunnels;
    }

    /**
     * Labels each colour's meters with the version the target says it runs; and a colour with no weight keeps no
     * tunnel: its clients reconnect, and the weights send them elsewhere.
     */
    private void followTarget(TrafficTarget target) {
        for (Colour colour : Colour.values()) {
            metrics.get(colour).version(target == null ? null : target.version(colour));
            if (target == null || target.weight(colour) == 0) {
                tunnels.drain(colour);
            } else {
                tunnels.admit(colour);
            }
        }
    }

    RouterStatus status() {
        Map<Colour, RouterStatus.ColourStats> stats = new EnumMap<>(Colour.class);
        metrics.forEach((colour, m) -> stats.put(colour, m.stats()));
        return new RouterStatus(target(), stats);
    }

    /** Per colour, the requests it could not take that were sent to another endpoint. */
    Map<Colour, Long> retried() {
        Map<Colour, Long> retried = new EnumMap<>(Colour.class);
        metrics.forEach((colour, m) -> retried.put(colour, m.retriedCount()));
        return retried;
    }

    /** The endpoints out of rotation now, until they accept connections again. */
    List<Endpoint> down() {
        return health.down();
    }

    private int weight(Colour colour) {
        TrafficTarget target = target();
        return target == null ? 0 : target.weight(colour);
    }

    /** Routes {@code request}, just read from {@code front}'s connection; on its event loop. */
    void route(Front front, HttpRequest request) {
        WeightedSelector current = selector;
        String health = healthPath;
        if (health != null && isPath(request.uri(), health)) {
            boolean up = !stopping && current != null && current.hasWeight();
            FullHttpResponse response = Front.text(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    up ? "ok\n" : stopping ? "shutting down\n" : "no traffic target\n");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            front.respond(request, response, HttpUtil.isKeepAlive(request));
            return;
        }
        if (!hold.admit(front.channel().eventLoop(), () -> front.released(request), () -> front.refuse(request))) {
            front.held(); // routed when the pause ends, by the weights of that moment
            return;
        }
        WeightedSelector.Pick pick = current == null ? null : colourCookie.pick(request, current);
        if (pick == null) {
            front.respond(request, Front.text(HttpResponseStatus.SERVICE_UNAVAILABLE, current == null
                    ? "no traffic target: the router was not given weights yet\n"
                    : "no colour has weight\n"), HttpUtil.isKeepAlive(request));
            return;
        }
        if (Tunnel.isWebSocket(request)) {
            Tunnel tunnel = new Tunnel(front, request, current, failover, forwarded, tunnels);
            failover.place(tunnel, pick);
            tunnel.start();
            return;
        }
        Exchange exchange = new Exchange(front, request, current, failover, forwarded, colourCookie);
        failover.place(exchange, pick);
        exchange.start();
    }

    /** Whether the request's {@code uri} is {@code path}, with or without a query; no parsing for the others. */
    private static boolean isPath(String uri, String path) {
        return uri.startsWith(path) && (uri.length() == path.length() || uri.charAt(path.length()) == '?');
    }
}
