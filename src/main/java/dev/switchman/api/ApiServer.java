package dev.switchman.api;

import dev.switchman.config.ConfigException;
import dev.switchman.model.Colour;
import dev.switchman.model.ConflictException;
import dev.switchman.model.ExitCode;
import dev.switchman.release.OutcomeJson;
import dev.switchman.release.Progress;
import dev.switchman.release.ReleaseJson;
import dev.switchman.release.Steering;
import dev.switchman.release.Wiring;
import dev.switchman.store.Decision;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code switchman serve}'s HTTP API (described in docs/openapi.yaml): start a release, list and read releases,
 * stream one's events, promote, abort, roll back; the application's status; {@code /health}; {@code /metrics} (the
 * releases it ran, in Prometheus's text format); the live view at
 * {@code /}. Every answer is JSON; a refusal carries the exit code the CLI would have exited with.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int HISTORY = 200;
    static final String ABORT_REASON = "aborted through the API";

    private final Wiring wiring;
    private final ReleaseStore store;
    private final String application;
    private final ReleaseRuns runs;
    private HttpServer server;
    private Router router;

    private ApiServer(Wiring wiring, Progress log) {
        this.wiring = wiring;
        this.store = wiring.seams.store();
        this.application = wiring.config.application();
        this.runs = new ReleaseRuns(wiring, log);
    }

    /** Serves the API of {@code wiring}'s application; {@code log} gets every run's progress. */
    public static Future<ApiServer> start(Wiring wiring, ApiOptions options, Progress log) {
        ApiServer api = new ApiServer(wiring, log);
        Router router = Router.router(wiring.vertx);
        router.get("/health").handler(api::health);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(api.runs.metrics.scrape()));
        router.route("/api/*").handler(new BearerAuth(options.token()));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/api/status").handler(api::status);
        router.get("/api/releases").handler(api::list);
        router.post("/api/releases").handler(api::release);
        router.get("/api/releases/:id").handler(api::read);
        router.get("/api/releases/:id/events").handler(api::events);
        router.post("/api/promote").handler(api::promote);
        router.post("/api/abort").handler(api::abort);
        router.post("/api/rollback").handler(api::rollBack);
        router.route("/*").handler(StaticHandler.create("webroot/switchman").setCachingEnabled(false));
        api.router = router;
        return api.store.migrate().compose(v -> wiring.vertx.createHttpServer().requestHandler(router)
                        .listen(options.port(), options.host()))
                .recover(e -> Future.failedFuture(e instanceof java.net.BindException || String.valueOf(e.getMessage())
                        .contains("Address already in use") ? new ConfigException("--listen " + options.host() + ":"
                        + options.port() + ": the port is in use; choose another with --listen") : e))
                .map(server -> {
                    api.server = server;
                    return api;
                });
    }

    /** Each operation served, as {@code GET /api/releases/{id}}: what docs/openapi.yaml must describe. */
    public List<String> operations() {
        List<String> all = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.methods() != null && route.getPath() != null) {
                String path = route.getPath().replaceAll(":([a-z]+)", "{$1}");
                route.methods().forEach(method -> all.add(method.name() + " " + path));
            }
        }
        return all;
    }

    public int port() {
        return server.actualPort();
    }

    /** The database reachable and Switchman's schema the one this build expects. */
    private void health(RoutingContext ctx) {
        store.schemaCurrent().onComplete(ar -> {
            boolean ok = ar.succeeded() && ar.result();
            String why = ar.failed() ? "database unreachable: " + ar.cause().getMessage()
                    : ok ? "ok" : "Switchman's schema is not this build's: run a release or 'switchman status' with this build";
            json(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "up" : "down").put("detail", why)
                    .put("application", application).put("releasing", runs.current().isPresent()));
        });
    }

    /** The live colour and version, the weights and counters per colour, the release in progress. */
    private void status(RoutingContext ctx) {
        var live = store.live(application);
        // The lock first, as abort reads it: a coordinator writes the row's last state before it lets the lock go, so
        // a release ending meanwhile is never shown interrupted. Unfinished with nobody holding the lock: it was
        // killed, and waits for a rollback.
        Future<Boolean> coordinated = Steering.coordinated(store, application);
        var unfinished = coordinated.compose(held -> store.unfinished(application));
        Future<RouterStatus> router = wiring.seams.router().status();
        // What the release in progress waits for (a promote), so that a person or a pipeline knows to act.
        Future<Optional<Decision>> decision = unfinished.compose(u -> u.isPresent() ? store.decision(u.get().id())
                : Future.succeededFuture(Optional.empty()));
        Future.join(live, decision, router).onComplete(all -> {
            if (live.failed() || unfinished.failed()) {
                fail(ctx, live.failed() ? live.cause() : unfinished.cause());
                return;
            }
            JsonObject body = new JsonObject().put("application", application)
                    .put("live", live.result().map(l -> new JsonObject().put("colour", l.colour().id())
                            .put("version", l.version()).put("since", l.since().toString())).orElse(null))
                    .put("inProgress", unfinished.result().map(r -> ReleaseJson.of(r).put("awaiting",
                            decision.succeeded() ? decision.result().map(Decision::awaiting).orElse(null) : null)
                            .put("interrupted", !coordinated.result())).orElse(null))
                    .put("countsPerColour", wiring.seams.router().countsPerColour());
            if (router.succeeded()) {
                RouterStatus s = router.result();
                JsonObject colours = new JsonObject();
                for (Colour colour : Colour.values()) {
                    RouterStatus.ColourStats stats = s.stats(colour);
                    colours.put(colour.id(), new JsonObject().put("weight", s.target() == null ? null : s.target().weight(colour))
                            .put("requests", stats.requests()).put("errors", stats.errors()).put("inFlight", stats.inFlight()));
                }
                body.put("colours", colours);
            } else {
                body.put("routerError", router.cause().getMessage());
            }
            json(ctx, 200, body);
        });
    }

    private void list(RoutingContext ctx) {
        int limit = intParam(ctx, "limit", 20);
        store.history(application, limit).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray all = new JsonArray();
            ar.result().forEach(r -> all.add(ReleaseJson.of(r)));
            json(ctx, 200, new JsonObject().put("application", application).put("releases", all));
        });
    }

    private void read(RoutingContext ctx) {
        withRelease(ctx, r -> store.events(r.id()).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray events = new JsonArray();
            ar.result().forEach(e -> events.add(ReleaseJson.of(e)));
            json(ctx, 200, ReleaseJson.of(r).put("application", application).put("events", events));
        }));
    }

    private void events(RoutingContext ctx) {
        withRelease(ctx, r -> EventStream.open(wiring.vertx, store, application, r.id(), this::find,
                runs.current().filter(run -> run.begun.future().isComplete()), ctx.response()));
    }

    /** {@code {"version": "v2", "changelog": "optional path"}}: 202 once the release's row exists. */
    private void release(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException e) {
            fail(ctx, new ConfigException("the request body is not JSON: " + e.getMessage()));
            return;
        }
        Object version = body.getValue("version");
        if (!(version instanceof String v) || v.isBlank()) {
            fail(ctx, new ConfigException("the request body needs \"version\": the version to release, e.g. {\"version\": \"v2\"}"));
            return;
        }
        Object changelog = body.getValue("changelog");
        runs.release(v, changelog instanceof String c ? c : null).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            ReleaseRuns.Run run = ar.result();
            if (run.ended.future().isComplete() && run.ended.future().result().releaseId() == null) {
                // Ended before it began: another release holds the application, or a gate before the row failed.
                var outcome = run.ended.future().result();
                json(ctx, outcome.exitCode() == ExitCode.CONFLICT ? 409 : 422, OutcomeJson.of(application, outcome, 0));
                return;
            }
            store.unfinished(application).compose(u -> u.isPresent() ? Future.succeededFuture(u)
                    : store.history(application, 1).map(h -> h.stream().findFirst())).onComplete(r -> {
                if (r.failed() || r.result().isEmpty()) {
                    fail(ctx, r.failed() ? r.cause() : new IllegalStateException("the release's row is not in the store"));
                    return;
                }
                ReleaseRecord started = r.result().get();
                ctx.response().putHeader("Location", "/api/releases/" + started.id());
                json(ctx, 202, ReleaseJson.of(started).put("application", application)
                        .put("events", "/api/releases/" + started.id() + "/events"));
            });
        });
    }

    private void promote(RoutingContext ctx) {
        Steering.promote(store, application).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            ReleaseRecord r = ar.result().release();
            json(ctx, 200, new JsonObject().put("application", application).put("release", r.id()).put("version", r.version())
                    .put("gate", r.gate()).put("promoted", ar.result().awaited()));
        });
    }

    /** 202: the coordinator (this server or another) reads the request within a second and rolls back. */
    private void abort(RoutingContext ctx) {
        Steering.requestAbort(store, application, ABORT_REASON).compose(r -> Steering.coordinated(store, application)
                .map(running -> {
                    if (!running) {
                        throw new ConfigException(Steering.describe(r) + " but no coordinator runs it (it was interrupted):"
                                + " POST /api/rollback");
                    }
                    return r;
                })).onComplete(ar -> {
                    if (ar.failed()) {
                        fail(ctx, ar.cause());
                        return;
                    }
                    runs.abort(ABORT_REASON);
                    ReleaseRecord r = ar.result();
                    json(ctx, 202, ReleaseJson.of(r).put("application", application).put("abortRequested", ABORT_REASON)
                            .put("events", "/api/releases/" + r.id() + "/events"));
                });
    }

    /** Rolls back a release whose coordinator is gone, as {@code switchman rollback}; a running one is aborted instead. */
    private void rollBack(RoutingContext ctx) {
        Steering.inProgress(store, application, "roll back").compose(r -> Steering.coordinated(store, application)
                .compose(running -> running
                        ? Future.failedFuture(new ConflictException(Steering.describe(r) + " and its coordinator runs it:"
                                + " POST /api/abort to roll it back"))
                        : runs.rollBack().map(r))).onComplete(ar -> {
                    if (ar.failed()) {
                        fail(ctx, ar.cause());
                        return;
                    }
                    ReleaseRecord r = ar.result();
                    json(ctx, 202, ReleaseJson.of(r).put("application", application)
                            .put("events", "/api/releases/" + r.id() + "/events"));
                });
    }

    private void withRelease(RoutingContext ctx, java.util.function.Consumer<ReleaseRecord> then) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            json(ctx, 404, new JsonObject().put("error", "no release " + ctx.pathParam("id") + ": ids are numbers"));
            return;
        }
        find(id).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (ar.result().isEmpty()) {
                json(ctx, 404, new JsonObject().put("error", "no release #" + id + " of " + application));
            } else {
                then.accept(ar.result().get());
            }
        });
    }

    private Future<Optional<ReleaseRecord>> find(long id) {
        return store.history(application, HISTORY).map(all -> all.stream().filter(r -> r.id() == id).findFirst());
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        try {
            String v = ctx.request().getParam(name);
            return v == null ? fallback : Math.max(1, Math.min(HISTORY, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A refusal with the exit code the CLI would give: 400 bad input, 409 another release, 500 otherwise. */
    private static void fail(RoutingContext ctx, Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof ConfigException) && !(cause instanceof ConflictException)) {
            cause = cause.getCause();
        }
        int status = cause instanceof ConfigException ? 400 : cause instanceof ConflictException ? 409 : 500;
        int exitCode = status == 400 ? ExitCode.BAD_INPUT : status == 409 ? ExitCode.CONFLICT : ExitCode.ACT_NOW;
        if (status == 500) {
            log.warn("{} {} failed", ctx.request().method(), ctx.request().path(), e);
        }
        json(ctx, status, new JsonObject().put("error", String.valueOf(cause.getMessage())).put("exitCode", exitCode));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
        }
    }

    /**
     * Stops serving: a release this server runs is asked to stop as a cancelled CD job's is (before contract it is
     * rolled back, past contract finished), and the server closes once it ended.
     */
    public Future<Void> stop(String reason) {
        runs.abort(reason);
        Future<?> ended = runs.current().map(run -> (Future<?>) run.ended.future()).orElse(Future.succeededFuture());
        return ended.transform(ar -> server == null ? Future.<Void>succeededFuture() : server.close());
    }

    @Override
    public void close() {
        stop("the server is stopping").toCompletionStage().toCompletableFuture().join();
    }
}
