package dev.switchman.traffic.builtin;

import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The builtin router: a reverse proxy on {@code router.host:router.port} that splits requests between blue and
 * green by weight ({@link ProxyRouting}), and an admin API on {@code 127.0.0.1:router.adminPort} through which
 * the coordinator sets absolute weights ({@link AdminApi}). This class starts and stops them. The public port is
 * served on Netty directly ({@link PublicPort}): it is the hot path; the admin and metrics ports on Vert.x's server.
 */
public final class BuiltinRouterServer {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final BuiltinRouterSettings config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProxyRouting routing;
    private final AdminApi adminApi;
    private PublicPort publicPort;
    private Warmup.Result warmed;
    /** The public port's HTTPS, or null for plain HTTP. */
    private PublicTls tls;
    private HttpServer adminServer;
    private HttpServer metricsServer;

    private BuiltinRouterServer(Vertx vertx, BuiltinRouterSettings config, Path stateDir, String token, TrafficTarget initial) {
        this.vertx = vertx;
        this.config = config;
        this.routing = new ProxyRouting(vertx, initial, TrustedProxies.parse(config.trustedProxies()), registry);
        routing.healthPath(config.healthPath());
        routing.sticky(ColourCookie.of(config.sticky(), config.tls() != null));
        this.adminApi = new AdminApi(vertx, stateDir, config.port(), token, registry, routing);
    }

    /**
     * Reads the token and the persisted target, then listens on both ports. Fails with a message naming the
     * config key when a port is in use, or the file when the state file is corrupt.
     */
    public static Future<BuiltinRouterServer> start(Vertx vertx, BuiltinRouterSettings config, Path stateDir) {
        return start(vertx, config, stateDir, false);
    }

    /**
     * As {@link #start(Vertx, BuiltinRouterSettings, Path)}, warmed up first when {@code warm} (as the router process
     * starts it): requests sent through the proxy path for up to {@code router.warmup}, before the public port is
     * bound, so the first clients find the path compiled. A router in a JVM that has run it already needs none.
     */
    public static Future<BuiltinRouterServer> start(Vertx vertx, BuiltinRouterSettings config, Path stateDir, boolean warm) {
        Path dir = stateDir.toAbsolutePath();
        record Loaded(String token, TrafficTarget target, PublicTls tls) {}
        return vertx.executeBlocking(() -> {
                    Files.createDirectories(dir);
                    return new Loaded(RouterFiles.token(dir, config.port()), RouterFiles.readState(dir, config.port()),
                            PublicTls.load(vertx, config.tls()));
                })
                .compose(loaded -> {
                    BuiltinRouterServer server = new BuiltinRouterServer(vertx, config, dir, loaded.token(), loaded.target());
                    server.tls = loaded.tls();
                    Duration warmup = warm ? config.warmup() : Duration.ZERO;
                    return Warmup.run(vertx, warmup, TrustedProxies.parse(config.trustedProxies()))
                            .compose(warmed -> {
                                server.warmed = warmed;
                                return server.listen().map(server);
                            });
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
        return publicPort.port();
    }

    /** The admin port actually bound (on 127.0.0.1). */
    public int adminPort() {
        return adminServer.actualPort();
    }

    /** What its warm-up did (no requests when it had none). */
    Warmup.Result warmed() {
        return warmed;
    }

    /** The target applied now, or null. */
    public TrafficTarget target() {
        return routing.target();
    }

    public RouterStatus status() {
        return routing.status();
    }

    /** The port serving the metrics besides the admin port ({@code router.metricsPort}), or -1. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.actualPort();
    }

    /**
     * Stops accepting, lets requests being served finish for a while, then closes. The health path answers 503
     * from the start, so that a load balancer in front stops sending.
     */
    public Future<Void> close() {
        routing.stopping();
        Future<Void> admin = adminServer == null ? Future.succeededFuture() : adminServer.close();
        Future<Void> metrics = metricsServer == null ? Future.succeededFuture() : metricsServer.close();
        Future<Void> pub = publicPort == null ? Future.succeededFuture() : publicPort.close(SHUTDOWN_GRACE);
        return Future.join(admin, metrics, pub)
                .eventually(routing::close)
                .andThen(ar -> registry.close())
                .mapEmpty();
    }

    private Future<Void> listen() {
        HttpServer admin = vertx.createHttpServer(new HttpServerOptions());
        admin.requestHandler(adminApi.routes());
        return PublicPort.bind(vertx, routing, config.host(), config.port(), tls == null ? null : tls.context())
                .recover(failure -> Future.failedFuture(bindFailed(failure, config.host(), config.port(), "router.port")))
                .compose(bound -> {
                    publicPort = bound;
                    return bind(admin, "127.0.0.1", config.adminPort(), "router.adminPort");
                })
                .compose(bound -> {
                    adminServer = bound;
                    if (config.metricsPort() == null) {
                        return Future.<Void>succeededFuture();
                    }
                    HttpServer metrics = vertx.createHttpServer().requestHandler(adminApi.metricsOnly());
                    return bind(metrics, config.metricsHost(), config.metricsPort(), "router.metricsPort")
                            .<Void>map(listening -> {
                                metricsServer = listening;
                                return null;
                            });
                })
                .recover(failure -> close().transform(ignored -> Future.failedFuture(failure)));
    }

    private static Future<HttpServer> bind(HttpServer server, String host, int port, String key) {
        return server.listen(port, host).recover(failure -> Future.failedFuture(bindFailed(failure, host, port, key)));
    }

    private static IllegalStateException bindFailed(Throwable failure, String host, int port, String key) {
        String message = isAddressInUse(failure)
                ? key + " " + port + " is in use (" + host + "): free it or change " + key
                : "cannot listen on " + key + " " + host + ":" + port + ": " + failure.getMessage();
        return new IllegalStateException(message, failure);
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
}
