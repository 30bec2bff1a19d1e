package dev.switchman.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The application that {@code switchman demo} releases: a small HTTP service over PostgreSQL, configured only by
 * environment variables (see {@link DemoSettings}). Started as {@code java -cp switchman.jar dev.switchman.demo.DemoApp}.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP","version":"v1"}} after {@code select 1}; 503 when the
 *       database does not answer, and always in v3, the broken release.</li>
 *   <li>{@code GET /items}: the newest items; {@code POST /items} with {@code {"title":"..."}}: 201 and the item;
 *       {@code GET /items/:id}.</li>
 *   <li>Every response carries {@code X-App-Version}.</li>
 * </ul>
 */
public final class DemoApp {
    public static final String VERSION_HEADER = "X-App-Version";
    static final int MAX_TITLE = 200;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final DemoSettings settings;
    private final ItemStore store;
    private HttpServer server;

    private DemoApp(Vertx vertx, DemoSettings settings, ItemStore store) {
        this.vertx = vertx;
        this.settings = settings;
        this.store = store;
    }

    public static void main(String[] args) {
        DemoSettings settings;
        try {
            settings = DemoSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        DemoLogging.quietLibraries();
        Vertx vertx = Vertx.vertx();
        DemoApp app;
        try {
            app = start(vertx, settings).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("demo " + settings.version() + ": cannot start: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Two separate waits: a continuation chained after vertx.close() would be scheduled on a closed event loop.
            try {
                app.stop().await(SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("demo " + settings.version() + ": unclean shutdown: " + e);
            }
            try {
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("demo " + settings.version() + ": Vert.x did not close: " + e);
            }
        }, "demo-shutdown"));
        System.out.println("demo " + settings.version() + " listening on " + settings.host() + ":" + app.port()
                + " (pid " + ProcessHandle.current().pid() + ", database " + settings.dbUrl() + ")");
    }

    /** Opens the pool and starts serving; completes once the port is open. */
    public static Future<DemoApp> start(Vertx vertx, DemoSettings settings) {
        return vertx.executeBlocking(() -> new ItemStore(settings), false)
                .compose(store -> {
                    DemoApp app = new DemoApp(vertx, settings, store);
                    return app.listen().map(app).recover(e -> {
                        store.close();
                        return Future.failedFuture(e);
                    });
                });
    }

    private Future<HttpServer> listen() {
        Router router = Router.router(vertx);
        router.route().handler(rc -> {
            rc.response().putHeader(VERSION_HEADER, settings.version());
            rc.next();
        });
        router.get("/health").handler(this::health);
        // No database: what router benchmarks measure against.
        router.get("/version").handler(rc -> send(rc, 200, new JsonObject().put("version", settings.version())));
        router.get("/items").handler(this::list);
        router.post("/items").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::create);
        router.get("/items/:id").handler(this::find);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()));
        return server.requestHandler(router).listen();
    }

    public int port() {
        return server.actualPort();
    }

    public String version() {
        return settings.version();
    }

    /** Stops accepting connections, lets requests in flight finish (bounded), then closes the pool. */
    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
        return closed.eventually(() -> vertx.executeBlocking(() -> {
            store.close();
            return null;
        }, false));
    }

    private void health(RoutingContext rc) {
        JsonObject body = new JsonObject().put("version", settings.version());
        if (settings.misconfigured()) {
            send(rc, 503, body.put("status", "DOWN").put("reason", "misconfigured: this release cannot serve"));
            return;
        }
        vertx.executeBlocking(() -> {
            store.ping();
            return null;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                send(rc, 200, body.put("status", "UP"));
            } else {
                send(rc, 503, body.put("status", "DOWN").put("reason", "database: " + ar.cause().getMessage()));
            }
        });
    }

    private void list(RoutingContext rc) {
        vertx.executeBlocking(store::list, false).onComplete(ar -> {
            if (ar.succeeded()) {
                rc.response().setStatusCode(200);
                rc.json(ar.result());
            } else {
                databaseError(rc, ar.cause());
            }
        });
    }

    private void find(RoutingContext rc) {
        long id;
        try {
            id = Long.parseLong(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            error(rc, 400, "id must be a number");
            return;
        }
        vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
            if (ar.failed()) {
                databaseError(rc, ar.cause());
            } else if (ar.result().isEmpty()) {
                error(rc, 404, "no item " + id);
            } else {
                send(rc, 200, ar.result().get());
            }
        });
    }

    private void create(RoutingContext rc) {
        String title;
        try {
            JsonObject body = rc.body().asJsonObject();
            Object value = body == null ? null : body.getValue("title");
            if (!(value instanceof String text) || text.isBlank()) {
                error(rc, 400, "expected a JSON object with a non-empty string \"title\"");
                return;
            }
            title = text;
        } catch (RuntimeException e) {
            error(rc, 400, "the body is not a JSON object");
            return;
        }
        if (title.length() > MAX_TITLE) {
            error(rc, 400, "title is longer than " + MAX_TITLE + " characters");
            return;
        }
        vertx.executeBlocking(() -> store.create(title), false).onComplete(ar -> {
            if (ar.succeeded()) {
                rc.response().putHeader("Location", "/items/" + ar.result().getLong("id"));
                send(rc, 201, ar.result());
            } else {
                databaseError(rc, ar.cause());
            }
        });
    }

    private void databaseError(RoutingContext rc, Throwable cause) {
        error(rc, 503, "database: " + cause.getMessage());
    }

    private static void error(RoutingContext rc, int status, String message) {
        send(rc, status, new JsonObject().put("error", message));
    }

    private static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status);
        rc.json(body);
    }
}
