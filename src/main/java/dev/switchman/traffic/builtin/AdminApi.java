package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * The builtin router's admin API, through which the coordinator sets absolute weights. With the bearer token
 * from {@link BuiltinRouterServer#token(Path, int)}: {@code GET /weights} (status), {@code PUT /weights} (target,
 * see {@link TargetJson}, as {@code application/json} only), {@code POST /drain/<colour>} (closes the colour's
 * WebSocket tunnels, then answers the status: in-flight requests are left to finish), {@code POST /pause} (holds new
 * requests, see {@link Hold}; body {@code {"boundMs": n}}; answers once the requests in flight have ended, or the
 * bound has passed) and {@code POST /resume}; without a token: {@code GET /metrics} (Prometheus),
 * {@code GET /healthz}. A target is persisted before it is applied and acknowledged, so a restarted router comes
 * back with its weights.
 */
final class AdminApi {

    private static final long BODY_LIMIT = 64 * 1024;
    /** The longest pause the router accepts: longer, and held clients would time out anyway. */
    static final long MAX_PAUSE_MS = 60_000;
    private static final long IDLE_POLL_MILLIS = 5;

    private final Vertx vertx;
    private final Path stateDir;
    private final int port;
    private final String token;
    private final PrometheusMeterRegistry registry;
    private final ProxyRouting routing;

    /** {@code port} is the router's public port, which names its state file in {@code stateDir}. */
    AdminApi(Vertx vertx, Path stateDir, int port, String token, PrometheusMeterRegistry registry, ProxyRouting routing) {
        this.vertx = vertx;
        this.stateDir = stateDir;
        this.port = port;
        this.token = token;
        this.registry = registry;
        this.routing = routing;
    }

    /** {@code GET /metrics} alone, for {@code router.metricsPort}: what a Prometheus on another host may read. */
    Router metricsOnly() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(this::metrics);
        return router;
    }

    private void metrics(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }

    Router routes() {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("ok\n"));
        router.get("/metrics").handler(this::metrics);
        router.route("/weights").handler(this::authorize);
        router.route("/drain/*").handler(this::authorize);
        router.post("/drain/:colour").handler(this::drain);
        router.route("/pause").handler(this::authorize);
        router.route("/resume").handler(this::authorize);
        router.post("/pause").handler(this::requireJson);
        router.post("/pause").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::pause);
        router.post("/resume").handler(ctx -> {
            int released = routing.hold().release();
            json(ctx, 200, pauseStatus().put("released", released));
        });
        router.get("/weights").handler(ctx -> json(ctx, 200, status()));
        // JSON only, checked before the body is read; and a body handler that cannot write upload files, which the
        // default one does (creating ./file-uploads, blocking the event loop) for any form body.
        router.put("/weights").handler(this::requireJson);
        router.put("/weights").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::putWeights);
        return router;
    }

    private void authorize(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        if (MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            json(ctx, 401, error(header == null ? "missing bearer token" : "wrong bearer token"));
        }
    }

    /** 415 for any other media type, forms included, whatever the body. */
    private void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        int end = type == null ? -1 : type.indexOf(';');
        String media = type == null ? null : (end < 0 ? type : type.substring(0, end)).strip();
        if ("application/json".equalsIgnoreCase(media)) {
            ctx.next();
        } else {
            json(ctx, 415, error("the body must be sent as application/json, not "
                    + (type == null ? "a body without Content-Type" : type)));
        }
    }

    private void putWeights(RoutingContext ctx) {
        TrafficTarget target;
        try {
            target = TargetJson.fromText(ctx.body().asString());
        } catch (IllegalArgumentException e) {
            json(ctx, 400, error("invalid target: " + e.getMessage()));
            return;
        }
        // Persisted before it is applied and acknowledged; blocking work ordered on this context, so PUTs
        // are written and applied in the order they arrived. Acknowledged once the endpoints down were probed again,
        // so that a slot given traffic that listens again is not passed over until its next probe.
        vertx.executeBlocking(() -> {
                    RouterFiles.writeState(stateDir, port, target);
                    return null;
                })
                .onSuccess(v -> {
                    routing.apply(target);
                    routing.recheck().onComplete(probed -> json(ctx, 200, status()));
                })
                .onFailure(e -> json(ctx, 500, error(e.getMessage())));
    }

    private void drain(RoutingContext ctx) {
        String id = ctx.pathParam("colour");
        for (Colour colour : Colour.values()) {
            if (colour.id().equals(id)) {
                routing.drain(colour);
                json(ctx, 200, status());
                return;
            }
        }
        json(ctx, 404, error("no colour '" + id + "': drain blue or green"));
    }

    private void pause(RoutingContext ctx) {
        long boundMs;
        try {
            JsonObject body = ctx.body().asJsonObject();
            Long given = body == null ? null : body.getLong("boundMs");
            if (given == null || given <= 0 || given > MAX_PAUSE_MS) {
                throw new IllegalArgumentException("boundMs must be a number of milliseconds from 1 to " + MAX_PAUSE_MS);
            }
            boundMs = given;
        } catch (RuntimeException e) {
            json(ctx, 400, error("invalid pause: " + e.getMessage()));
            return;
        }
        routing.hold().pause(Duration.ofMillis(boundMs));
        long deadline = System.nanoTime() + Duration.ofMillis(boundMs).toNanos();
        answerOnceIdle(ctx, deadline);
    }

    /** Answers the pause once no request is in flight (they hold no lock then), or at its bound. */
    private void answerOnceIdle(RoutingContext ctx, long deadline) {
        if (routing.inFlight() == 0 || System.nanoTime() - deadline >= 0 || !routing.hold().paused()) {
            json(ctx, 200, pauseStatus());
        } else {
            vertx.setTimer(IDLE_POLL_MILLIS, id -> answerOnceIdle(ctx, deadline));
        }
    }

    private JsonObject pauseStatus() {
        return new JsonObject().put("paused", routing.hold().paused()).put("held", routing.hold().waiting())
                .put("heldTotal", routing.hold().total()).put("inFlight", routing.inFlight());
    }

    private JsonObject status() {
        JsonObject json = TargetJson.statusToJson(routing.status(), routing.retried(), routing.down());
        JsonObject stats = json.getJsonObject("stats");
        for (Colour colour : Colour.values()) {
            stats.getJsonObject(colour.id())
                    .put("tunnels", routing.tunnels().open(colour))
                    .put("tunnelsDrained", routing.tunnels().closedByRouter(colour));
        }
        return json.put("paused", routing.hold().paused()).put("held", routing.hold().waiting());
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }
}
