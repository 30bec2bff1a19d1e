package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ForwardedHeadersOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The builtin router: a reverse proxy on {@code router.host:router.port} that splits requests between blue and
 * green by weight, and an admin API on {@code 127.0.0.1:router.adminPort} through which the coordinator sets
 * absolute weights. The target is one immutable snapshot: a switch replaces it at once, and requests already
 * sent to the old colour finish there. The target is persisted before it is acknowledged, so a restarted router
 * comes back with its weights.
 *
 * <p>Admin API (bearer token from {@link #token(Path, int)}): {@code GET /weights} (status), {@code PUT /weights}
 * (target, see {@link TargetJson}); without a token: {@code GET /metrics} (Prometheus), {@code GET /healthz}.
 */
public final class BuiltinRouterServer {

    private static final String PICK = "switchman.pick";
    private static final String FLIGHT = "switchman.flight";
    private static final int UPSTREAM_POOL_SIZE = 256;
    private static final long ADMIN_BODY_LIMIT = 64 * 1024;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final BuiltinRouterSettings config;
    private final Path stateDir;
    private final String token;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Colour, ColourMetrics> metrics = new EnumMap<>(Colour.class);
    /** One upstream client per event loop, so a request and its upstream connection stay on one thread. */
    private final List<HttpClient> upstreams = new CopyOnWriteArrayList<>();
    private volatile WeightedSelector selector;
    /** One listener per event loop, all on the public port, so the proxy uses every core. */
    private final List<HttpServer> publicServers = new CopyOnWriteArrayList<>();
    private String publicDeployment;
    private HttpServer adminServer;

    private BuiltinRouterServer(Vertx vertx, BuiltinRouterSettings config, Path stateDir, String token, TrafficTarget initial) {
        this.vertx = vertx;
        this.config = config;
        this.stateDir = stateDir;
        this.token = token;
        this.selector = initial == null ? null : new WeightedSelector(initial);
        for (Colour colour : Colour.values()) {
            metrics.put(colour, new ColourMetrics(colour, registry, () -> weight(colour)));
        }
    }

    /**
     * Reads the token and the persisted target, then listens on both ports. Fails with a message naming the
     * config key when a port is in use, or the file when the state file is corrupt.
     */
    public static Future<BuiltinRouterServer> start(Vertx vertx, BuiltinRouterSettings config, Path stateDir) {
        Path dir = stateDir.toAbsolutePath();
        record Loaded(String token, TrafficTarget target) {}
        return vertx.executeBlocking(() -> {
                    Files.createDirectories(dir);
                    return new Loaded(RouterFiles.token(dir, config.port()), RouterFiles.readState(dir, config.port()));
                })
                .compose(loaded -> {
                    BuiltinRouterServer server = new BuiltinRouterServer(vertx, config, dir, loaded.token(), loaded.target());
                    return server.listen().map(server);
                });
    }

    /**
     * The admin token: {@code SWITCHMAN_ROUTER_TOKEN} when set, else the content of
     * {@code <stateDir>/router-<port>.token}, created (mode 600, 32 random bytes in hex) when missing.
     * Blocks on file I/O.
     */
    public static String token(Path stateDir, int port) {
        return RouterFiles.token(stateDir.toAbsolutePath(), port);
    }

    /** The public port actually bound. */
    public int port() {
        return publicServers.getFirst().actualPort();
    }

    /** The admin port actually bound (on 127.0.0.1). */
    public int adminPort() {
        return adminServer.actualPort();
    }

    /** The target applied now, or null. */
    public TrafficTarget target() {
        WeightedSelector current = selector;
        return current == null ? null : current.target();
    }

    public RouterStatus status() {
        Map<Colour, RouterStatus.ColourStats> stats = new EnumMap<>(Colour.class);
        metrics.forEach((colour, m) -> stats.put(colour, m.stats()));
        return new RouterStatus(target(), stats);
    }

    /** Stops accepting, lets requests being served finish for a while, then closes. */
    public Future<Void> close() {
        Future<Void> admin = adminServer == null ? Future.succeededFuture() : adminServer.close();
        List<Future<Void>> stopping = new ArrayList<>();
        publicServers.forEach(server -> stopping.add(server.shutdown(SHUTDOWN_GRACE)));
        Future<Void> pub = Future.join(stopping).transform(ar -> publicDeployment == null
                ? Future.<Void>succeededFuture() : vertx.undeploy(publicDeployment));
        return Future.join(admin, pub)
                .eventually(() -> Future.join(upstreams.stream().map(HttpClient::close).toList()))
                .andThen(ar -> registry.close())
                .mapEmpty();
    }

    private int weight(Colour colour) {
        TrafficTarget target = target();
        return target == null ? 0 : target.weight(colour);
    }

    // ---- listening ---------------------------------------------------------------------------------------------

    private HttpProxy proxy(HttpClient upstream) {
        return HttpProxy.reverseProxy(
                        // WebSocket upgrades are not proxied: the library's upgrade path has no way to answer
                        // 502/503 when the target is missing or an upstream is down.
                        new ProxyOptions().setSupportWebSocket(false).setForwardedHeadersOptions(new ForwardedHeadersOptions()
                                .setEnabled(true).setForwardFor(true).setForwardProto(true)
                                .setForwardHost(false).setForwardPort(false)),
                        upstream)
                .origin(OriginRequestProvider.selector(this::origin))
                .addInterceptor(new Routing());
    }

    private Future<Void> listen() {
        // HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 (h2c, as the JDK's HttpClient does) is
        // answered in HTTP/1.1, as nginx does, instead of switching protocols under the proxy.
        HttpServerOptions publicOptions = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        HttpServer admin = vertx.createHttpServer(new HttpServerOptions());
        admin.requestHandler(adminRoutes());
        // Servers on one port in several verticle instances share the socket, each on its own event loop.
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        return vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        HttpClient upstream = vertx.createHttpClient(
                                new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setConnectTimeout(5_000),
                                new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE));
                        upstreams.add(upstream);
                        HttpServer pub = vertx.createHttpServer(publicOptions).requestHandler(proxy(upstream));
                        return bind(pub, config.host(), config.port(), "router.port").onSuccess(publicServers::add);
                    }
                }, new DeploymentOptions().setInstances(loops))
                .compose(id -> {
                    publicDeployment = id;
                    return bind(admin, "127.0.0.1", config.adminPort(), "router.adminPort");
                })
                .<Void>map(bound -> {
                    adminServer = bound;
                    return null;
                })
                .recover(failure -> close().transform(ignored -> Future.failedFuture(failure)));
    }

    private static Future<HttpServer> bind(HttpServer server, String host, int port, String key) {
        return server.listen(port, host).recover(failure -> {
            String message = isAddressInUse(failure)
                    ? key + " " + port + " is in use (" + host + "): free it or change " + key
                    : "cannot listen on " + key + " " + host + ":" + port + ": " + failure.getMessage();
            return Future.failedFuture(new IllegalStateException(message, failure));
        });
    }

    private static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    // ---- proxy -------------------------------------------------------------------------------------------------

    private Future<SocketAddress> origin(ProxyContext ctx) {
        WeightedSelector.Pick pick = ctx.get(PICK, WeightedSelector.Pick.class);
        return Future.succeededFuture(SocketAddress.inetSocketAddress(pick.endpoint().port(), pick.endpoint().host()));
    }

    /** Chooses the colour and endpoint of each request and counts it until its response has ended or failed. */
    private final class Routing implements ProxyInterceptor {

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
            // A client gone before the response ended must not leave the request counted as in flight.
            ctx.request().proxiedRequest().response().closeHandler(v -> flight.finish(true));
            HostAndPort authority = ctx.request().proxiedRequest().authority();
            if (authority != null) {
                ctx.request().setAuthority(authority); // keep the client's Host header
            }
            return ctx.sendRequest();
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext ctx) {
            ColourMetrics.Flight flight = ctx.get(FLIGHT, ColourMetrics.Flight.class);
            if (flight == null) {
                return ctx.sendResponse();
            }
            boolean serverError = ctx.response().getStatusCode() >= 500;
            return ctx.sendResponse().andThen(ar -> flight.finish(serverError || ar.failed()));
        }
    }

    // ---- admin API ---------------------------------------------------------------------------------------------

    private Router adminRoutes() {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("ok\n"));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        router.route("/weights").handler(this::authorize);
        router.get("/weights").handler(ctx -> json(ctx, 200, TargetJson.statusToJson(status())));
        router.put("/weights").handler(BodyHandler.create().setBodyLimit(ADMIN_BODY_LIMIT)).handler(this::putWeights);
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

    private void putWeights(RoutingContext ctx) {
        TrafficTarget target;
        try {
            target = TargetJson.fromText(ctx.body().asString());
        } catch (IllegalArgumentException e) {
            json(ctx, 400, error("invalid target: " + e.getMessage()));
            return;
        }
        // Persisted before it is applied and acknowledged; blocking work ordered on this context, so PUTs
        // are written and applied in the order they arrived.
        vertx.executeBlocking(() -> {
                    RouterFiles.writeState(stateDir, config.port(), target);
                    return null;
                })
                .onSuccess(v -> {
                    apply(target);
                    json(ctx, 200, TargetJson.statusToJson(status()));
                })
                .onFailure(e -> json(ctx, 500, error(e.getMessage())));
    }

    private void apply(TrafficTarget target) {
        WeightedSelector current = selector;
        if (current == null || !Objects.equals(current.target(), target)) {
            selector = new WeightedSelector(target);
        }
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
