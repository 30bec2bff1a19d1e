package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the router process takes public traffic, it sends requests through its own proxy path, on loopback ports
 * of its own, to a loopback target: so the JIT has compiled that path when the first clients come, instead of
 * their requests being the slow ones. Bounded by a number of requests and a time, whichever comes first; counted
 * in meters of its own that are then dropped, so nothing of it shows in the router's counters.
 */
final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    /** Enough for the JIT's last tier to compile the proxy path (about 10,000 calls of each method). */
    static final int REQUESTS = 30_000;
    private static final int CONCURRENCY = 32;
    private static final Buffer BODY = Buffer.buffer("warm-up ".repeat(64));

    /** What a warm-up did. */
    record Result(int requests, int answered, long millis) {}

    private Warmup() {}

    /** Runs it for at most {@code bound} (and {@link #REQUESTS}); never fails, a problem only ends it early. */
    static Future<Result> run(Vertx vertx, Duration bound, TrustedProxies trusted) {
        if (bound.isZero()) {
            return Future.succeededFuture(new Result(0, 0, 0));
        }
        long started = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer target = vertx.createHttpServer().requestHandler(request -> request.body()
                .onSuccess(body -> request.response().putHeader("Content-Type", "text/plain").end("ok")));
        HttpClient clients = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONCURRENCY));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Promise<Void> done = Promise.promise();
        ProxyRouting[] routing = new ProxyRouting[1];
        PublicPort[] proxy = new PublicPort[1];
        Future<Result> result = target.listen(0, "127.0.0.1").compose(listening -> {
                    Endpoint endpoint = new Endpoint("127.0.0.1", listening.actualPort());
                    TrafficTarget both = new TrafficTarget(Map.of(
                            Colour.BLUE, new TrafficTarget.Backend(List.of(endpoint), 50),
                            Colour.GREEN, new TrafficTarget.Backend(List.of(endpoint), 50)));
                    routing[0] = new ProxyRouting(vertx, both, trusted, registry);
                    return PublicPort.bind(vertx, routing[0], "127.0.0.1", 0, null);
                })
                .compose(listening -> {
                    proxy[0] = listening;
                    long deadline = started + bound.toNanos();
                    long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> done.tryComplete());
                    AtomicInteger running = new AtomicInteger(CONCURRENCY);
                    for (int i = 0; i < CONCURRENCY; i++) {
                        loop(clients, listening.port(), deadline, sent, answered, running, done);
                    }
                    return done.future().andThen(ar -> vertx.cancelTimer(timer));
                })
                .otherwiseEmpty()
                .map(v -> new Result(sent.get(), answered.get(), (System.nanoTime() - started) / 1_000_000));
        // The clients first, so that no request is still coming when the proxy and its target go.
        return result.compose(r -> clients.close().transform(closed -> Future.join(
                        proxy[0] == null ? Future.succeededFuture() : proxy[0].close(Duration.ZERO), target.close(),
                        routing[0] == null ? Future.succeededFuture() : routing[0].close()))
                .andThen(closed -> registry.close())
                .transform(closed -> Future.succeededFuture(r)))
                .onSuccess(r -> LOG.info("warmed up with {} requests through the proxy path in {} ms", r.answered(), r.millis()));
    }

    /** One client: a request after another, one in eight a POST with a body, until the count or the time is up. */
    private static void loop(HttpClient clients, int port, long deadline, AtomicInteger sent, AtomicInteger answered,
                             AtomicInteger running, Promise<Void> done) {
        int n = sent.getAndIncrement();
        if (n >= REQUESTS || System.nanoTime() - deadline >= 0 || done.future().isComplete()) {
            sent.decrementAndGet();
            if (running.decrementAndGet() == 0) {
                done.tryComplete();
            }
            return;
        }
        boolean post = n % 8 == 7;
        clients.request(new RequestOptions().setMethod(post ? HttpMethod.POST : HttpMethod.GET)
                        .setHost("127.0.0.1").setPort(port).setURI("/warm-up/" + (n % 16)))
                .compose(request -> post ? request.send(BODY) : request.send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        answered.incrementAndGet();
                    }
                    loop(clients, port, deadline, sent, answered, running, done);
                });
    }
}
