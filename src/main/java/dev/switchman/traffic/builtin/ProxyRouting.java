package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.ColourMetrics.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ForwardedHeadersOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the colour and endpoint of each proxied request from the current {@link WeightedSelector} and counts
 * it per colour until its response has ended or failed: as an error when the upstream failed or answered 5xx, as
 * a client abort when the client went away first; answers 503 when there is nothing to route to. The
 * selector is one immutable snapshot of the target: a switch replaces it at once, and requests already sent to
 * the old colour finish there. One instance serves the proxies of every event loop.
 */
final class ProxyRouting implements ProxyInterceptor {

    private static final String PICK = "switchman.pick";
    private static final String FLIGHT = "switchman.flight";

    private final Map<Colour, ColourMetrics> metrics = new EnumMap<>(Colour.class);
    private final ForwardedHeaders forwarded;
    private volatile WeightedSelector selector;

    /**
     * Routes to {@code initial} (null: no target yet), keeps the forwarded headers of {@code trusted} proxies only,
     * and registers the per-colour meters in {@code registry}.
     */
    ProxyRouting(TrafficTarget initial, TrustedProxies trusted, MeterRegistry registry) {
        this.selector = initial == null ? null : new WeightedSelector(initial);
        this.forwarded = new ForwardedHeaders(trusted);
        for (Colour colour : Colour.values()) {
            metrics.put(colour, new ColourMetrics(colour, registry, () -> weight(colour)));
        }
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
                .origin(OriginRequestProvider.selector(this::origin))
                .addInterceptor(this);
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

    private int weight(Colour colour) {
        TrafficTarget target = target();
        return target == null ? 0 : target.weight(colour);
    }

    private Future<SocketAddress> origin(ProxyContext ctx) {
        WeightedSelector.Pick pick = ctx.get(PICK, WeightedSelector.Pick.class);
        return Future.succeededFuture(SocketAddress.inetSocketAddress(pick.endpoint().port(), pick.endpoint().host()));
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
        ColourMetrics.Flight flight = metrics.get(pick.colour()).start();
        ctx.set(PICK, pick);
        ctx.set(FLIGHT, flight);
        HttpServerRequest client = ctx.request().proxiedRequest();
        // A client gone before the response ended leaves "in flight" as an abort, not as an error.
        client.response().closeHandler(v -> flight.finish(Outcome.CLIENT_ABORT));
        // Replaces the handler of the connection's previous request, if any; no allocation.
        client.connection().exceptionHandler(flight);
        HostAndPort authority = client.authority();
        if (authority != null) {
            ctx.request().setAuthority(authority); // keep the client's Host header
        }
        // Hop-by-hop first: a Connection header must not be able to remove what the router adds.
        HopByHopHeaders.strip(ctx.request().headers());
        forwarded.apply(client, ctx.request().headers());
        return ctx.sendRequest();
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext ctx) {
        ColourMetrics.Flight flight = ctx.get(FLIGHT, ColourMetrics.Flight.class);
        if (flight == null) {
            return ctx.sendResponse();
        }
        ProxyResponse response = ctx.response();
        HopByHopHeaders.strip(response.headers());
        HttpServerResponse client = ctx.request().proxiedRequest().response();
        boolean serverError = response.getStatusCode() >= 500;
        // Without an upstream response this is the proxy's own 502/504: for an upstream that failed, or for an
        // upstream request it reset because the client had already gone.
        if (serverError && response.proxiedResponse() == null && clientGone(client, flight)) {
            flight.finish(Outcome.CLIENT_ABORT);
            return ctx.sendResponse();
        }
        // Sending fails when either side breaks off: a client that went away is known by then, an upstream that
        // cut its response short leaves the client's connection open until the proxy closes it after.
        return ctx.sendResponse().andThen(ar -> flight.finish(serverError ? Outcome.ERROR
                : ar.succeeded() ? Outcome.SUCCESS
                : clientGone(client, flight) ? Outcome.CLIENT_ABORT : Outcome.ERROR));
    }

    /** Closed (the client closed its connection) or broken (a reset, say, seen before the connection closes). */
    private static boolean clientGone(HttpServerResponse client, ColourMetrics.Flight flight) {
        return client.closed() || flight.clientBroke();
    }
}
