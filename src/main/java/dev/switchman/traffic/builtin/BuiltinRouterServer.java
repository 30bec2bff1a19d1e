package dev.switchman.traffic.builtin;

import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The builtin router: a reverse proxy on {@code router.host:router.port} that splits requests between blue and
 * green by weight ({@link ProxyRouting}), and an admin API on {@code 127.0.0.1:router.adminPort} through which
 * the coordinator sets absolute weights ({@link AdminApi}). This class starts and stops them.
 */
public final class BuiltinRouterServer {

    private static final int UPSTREAM_POOL_SIZE = 256;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final BuiltinRouterSettings config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProxyRouting routing;
    private final AdminApi adminApi;
    /** One upstream client per event loop, so a request and its upstream connection stay on one thread. */
    private final List<HttpClient> upstreams = new CopyOnWriteArrayList<>();
    /** One listener per event loop, all on the public port, so the proxy uses every core. */
    private final List<HttpServer> publicServers = new CopyOnWriteArrayList<>();
    private String publicDeployment;
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
        return publicServers.getFirst().actualPort();
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
        List<Future<Void>> stopping = new ArrayList<>();
        publicServers.forEach(server -> stopping.add(server.shutdown(SHUTDOWN_GRACE)));
        Future<Void> pub = Future.join(stopping).transform(ar -> publicDeployment == null
                ? Future.<Void>succeededFuture() : vertx.undeploy(publicDeployment));
        return Future.join(admin, metrics, pub)
                .eventually(() -> Future.join(upstreams.stream().map(HttpClient::close).toList()))
                .eventually(routing::close)
                .andThen(ar -> registry.close())
                .mapEmpty();
    }

    private Future<Void> listen() {
        // HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 (h2c, as the JDK's HttpClient does) is
        // answered in HTTP/1.1, as nginx does, instead of switching protocols under the proxy.
        // WebSocket compression off: a tunnel passes the frames as its two ends agreed them, and the extension
        // handler it needs would otherwise look at every response the router writes.
        // Strict thread mode: every request, its upstream connection and its response are handled on one event
        // loop (each loop has its own client and pool), so the server writes directly instead of through a queue.
        HttpServerOptions publicOptions = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setStrictThreadMode(true);
        if (tls != null) {
            tls.on(publicOptions);
        }
        HttpServer admin = vertx.createHttpServer(new HttpServerOptions());
        admin.requestHandler(adminApi.routes());
        // Servers on one port in several verticle instances share the socket, each on its own event loop.
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        return vertx.deployVerticle(() -> new VerticleBase() {
                    private UpstreamPool pool;

                    @Override
                    public Future<?> stop() {
                        pool.close(); // on its event loop, as every use of it
                        return Future.succeededFuture();
                    }

                    @Override
                    public Future<?> start() {
                        HttpClientAgent upstream = vertx.createHttpClient(
                                new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setConnectTimeout(5_000),
                                new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE));
                        pool = new UpstreamPool(vertx, upstream);
                        upstreams.add(upstream);
                        HttpServer pub = vertx.createHttpServer(publicOptions).requestHandler(routing.proxy(upstream, pool));
                        return bind(pub, config.host(), config.port(), "router.port").onSuccess(publicServers::add);
                    }
                }, new DeploymentOptions().setInstances(loops))
                .compose(id -> {
                    publicDeployment = id;
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
}
