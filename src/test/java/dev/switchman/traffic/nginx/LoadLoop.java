package dev.switchman.traffic.nginx;

import dev.switchman.model.Endpoint;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients on keep-alive connections, each sending GET and POST one after another through nginx: every answer
 * that is not a 200 from an upstream is a failure, and every answer is counted by the upstream that gave it.
 */
final class LoadLoop {
    private static final Buffer BODY = Buffer.buffer("x".repeat(512));

    private final HttpClient http;
    private final Context context;
    private final Endpoint address;
    private final Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;

    private LoadLoop(Vertx vertx, Endpoint address, int clients) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(clients));
        this.context = vertx.getOrCreateContext();
        this.address = address;
    }

    static LoadLoop start(Vertx vertx, Endpoint address, int clients) {
        LoadLoop loop = new LoadLoop(vertx, address, clients);
        loop.running.set(clients);
        loop.context.runOnContext(v -> {
            for (int client = 0; client < clients; client++) {
                loop.next(client, client % 2 == 0);
            }
        });
        return loop;
    }

    int answeredBy(String name) {
        AtomicInteger n = answeredBy.get(name);
        return n == null ? 0 : n.get();
    }

    int answered() {
        return answeredBy.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Queue<String> failures() {
        return failures;
    }

    /** Ends every client after its current request; then wait for {@link #stopped()}. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return running.get() == 0;
    }

    void close() {
        http.close();
    }

    private void next(int client, boolean post) {
        if (stopped) {
            running.decrementAndGet();
            return;
        }
        http.request(post ? HttpMethod.POST : HttpMethod.GET, address.port(), address.host(), "/")
                .compose(request -> post ? request.send(BODY) : request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        failures.add(client + ": status " + response.statusCode());
                    } else {
                        String text = body.toString();
                        String name = post ? text.substring(0, text.lastIndexOf(':')) : text;
                        if (post && !text.endsWith(":" + BODY.length())) {
                            failures.add(client + ": POST body cut: " + text);
                        }
                        answeredBy.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failures.add(client + ": " + ar.cause());
                    }
                    next(client, !post);
                });
    }
}
