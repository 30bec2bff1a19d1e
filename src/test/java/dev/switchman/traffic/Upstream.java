package dev.switchman.traffic;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for one replica of a colour. It answers every request with its name in the body
 * and the {@code X-Upstream} header; a POST gets back {@code name:bytes-received}; {@code /slow} is held until
 * {@link #releaseSlow()}. Shared by the tests of every router kind.
 */
public final class Upstream {

    public final String name;
    private final HttpServer server;
    private record Held(HttpServerRequest request, Context context) {}

    private final Queue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger served = new AtomicInteger();
    private final Set<HttpConnection> connections = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private Upstream(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    public static Upstream start(Vertx vertx, String name) {
        Upstream[] self = new Upstream[1];
        HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
        self[0] = new Upstream(name, server);
        Futures.await(server.listen(0, "127.0.0.1"));
        return self[0];
    }

    private void handle(HttpServerRequest request) {
        connections.add(request.connection());
        request.body().onSuccess(body -> {
            if (request.path().equals("/slow")) {
                held.add(new Held(request, Vertx.currentContext()));
                return;
            }
            served.incrementAndGet();
            String text = request.method().name().equals("POST") ? name + ":" + body.length() : name;
            request.response().putHeader("X-Upstream", name).end(text);
        });
    }

    /** How many requests it has answered. */
    public int served() {
        return served.get();
    }

    /** How many connections requests came on. */
    public int connections() {
        return connections.size();
    }

    public int heldCount() {
        return held.size();
    }

    /** Answers every held {@code /slow} request. */
    public void releaseSlow() {
        Held h;
        while ((h = held.poll()) != null) {
            HttpServerRequest request = h.request();
            h.context().runOnContext(v -> {
                served.incrementAndGet();
                if (!request.response().closed()) {
                    request.response().putHeader("X-Upstream", name).end(name + ":slow");
                }
            });
        }
    }

    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", server.actualPort());
    }

    public Future<Void> close() {
        return server.close();
    }
}
