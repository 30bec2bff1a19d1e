package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ForwardedHeadersOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
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
final class ProxyRouting implements ProxyInterceptor {

    private final Map<Colour, ColourMetrics> metrics = new EnumMap<>(Colour.class);
    private final ForwardedHeaders forwarded;
    private final EndpointHealth health;
    private final Failover failover;
    private volatile WeightedSelector selector;

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
    }

    /** A reverse proxy that sends the requests it routes through {@code upstream}. */
    HttpProxy proxy(HttpClient upstream) {
        return HttpProxy.reverseProxy(
                        // WebSocket upgrades are not proxied: the library's upgrade path has no way to answer
                        // 502/503 when the target is missing or an upstream is down.
                        // Forwarded headers are ForwardedHeaders' job: the library's would pass on a client's.
                        new ProxyOptions().setSupportWebSocket(false)
                                .setForwardedHeadersOptions(new ForwardedHeadersOptions().setEnabled(false)),
                        upstream)
                .origin(failover)
                .addInterceptor(this);
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

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
        WeightedSelector current = selector;
        WeightedSelector.Pick pick = current == null ? null : current.next();
        if (pick == null) {
            String text = current == null
                    ? "no traffic target: the router was not given weights yet\n"
                    : "no colour has weight\n";
            return Future.succeededFuture(ctx.request().release().response()
                    .setStatusCode(503)
                    .setBody(Body.body(Buffer.buffer(text, "UTF-8"), MediaType.TEXT_PLAIN)));
        }
        Route route = failover.route(ctx, current, pick);
        ctx.set(Failover.ROUTE, route);
        HttpServerRequest client = ctx.request().proxiedRequest();
        // A client gone before the response ended leaves "in flight" as an abort, not as an error.
        client.response().closeHandler(route);
        HostAndPort authority = client.authority();
        if (authority != null) {
            ctx.request().setAuthority(authority); // keep the client's Host header
        }
        // Hop-by-hop first: a Connection header must not be able to remove what the router adds.
        HopByHopHeaders.strip(ctx.request().headers());
        forwarded.apply(client, ctx.request().headers());
        return ctx.sendRequest().recover(failure -> failover.resend(ctx, route, failure));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext ctx) {
        Route route = ctx.get(Failover.ROUTE, Route.class);
        if (route == null) {
            return ctx.sendResponse();
        }
        ColourMetrics.Flight flight = route.flight();
        ProxyResponse response = ctx.response();
        HopByHopHeaders.strip(response.headers());
        boolean serverError = response.getStatusCode() >= 500;
        // Without an upstream response this is the proxy's own 502/504: for an upstream that failed, or for an
        // upstream request it reset because the client had already gone.
        if (serverError && response.proxiedResponse() == null && route.clientGone()) {
            flight.finish(Outcome.CLIENT_ABORT);
            return ctx.sendResponse();
        }
        // Sending fails when either side breaks off: a client that went away is known by then, an upstream that
        // cut its response short leaves the client's connection open until the proxy closes it after.
        return ctx.sendResponse().andThen(ar -> flight.finish(serverError ? Outcome.ERROR
                : ar.succeeded() ? Outcome.SUCCESS
                : route.clientGone() ? Outcome.CLIENT_ABORT : Outcome.ERROR));
    }
}
