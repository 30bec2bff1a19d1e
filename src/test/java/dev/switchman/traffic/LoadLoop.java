package dev.switchman.traffic;

import dev.switchman.model.Endpoint;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients on keep-alive connections, each sending one request after another through a router, GET and POST (with a
 * body) in turn, counting who answered each (an upstream answers its name, and a POST with its name and the length
 * of the body it read) and every request that did not get its 200 with the right body.
 */
public final class LoadLoop {
    private static final Buffer BODY = Buffer.buffer("x".repeat(2048));

    private final HttpClient http;
    private final Endpoint address;
    private final Context context;
    private final Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;

    private LoadLoop(Vertx vertx, Endpoint address, int clients) {
        this.address = address;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(clients));
        this.context = vertx.getOrCreateContext();
    }

    public static LoadLoop start(Vertx vertx, Endpoint address, int clients) {
        LoadLoop loop = new LoadLoop(vertx, address, clients);
        loop.running.set(clients);
        loop.context.runOnContext(v -> {
            for (int client = 0; client < clients; client++) {
                loop.next(client, client % 2 == 0);
            }
        });
        return loop;
    }

    /** Requests sent and answered or failed. */
    public int done() {
        return ok() + failures.size();
    }

    public int ok() {
        return answeredBy.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int answeredBy(String name) {
        AtomicInteger n = answeredBy.get(name);
        return n == null ? 0 : n.get();
    }

    public Queue<String> failures() {
        return failures;
    }

    /** Ends every client after its current request; wait for {@link #stopped()}. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return running.get() == 0;
    }

    public void close() {
        http.close();
    }

    private void next(int client, boolean post) {
        if (stopped) {
            running.decrementAndGet();
            return;
        }
        sent.incrementAndGet();
        http.request(post ? HttpMethod.POST : HttpMethod.GET, address.port(), address.host(), "/")
                .compose(request -> post ? request.send(BODY) : request.send())
                .compose(response -> response.body().map(body -> {
                    String text = body.toString();
                    String name = post ? text.substring(0, Math.max(0, text.indexOf(':'))) : text;
                    boolean whole = !post || text.equals(name + ":" + BODY.length());
                    if (response.statusCode() != 200 || !whole || name.isEmpty()) {
                        failures.add((post ? "POST" : "GET") + " status " + response.statusCode() + " " + text);
                    } else {
                        answeredBy.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failures.add((post ? "POST " : "GET ") + ar.cause());
                    }
                    next(client, !post);
                });
    }
}
