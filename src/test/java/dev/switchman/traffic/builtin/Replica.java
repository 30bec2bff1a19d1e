package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * An upstream that can die and come back on the same port, as a slot's process does. It answers its name, and a
 * POST with {@code name:} and the whole body it received, so a test sees that a body arrived intact.
 * {@link #kill()} closes it with all its connections at once, as the kernel does when a process dies (nothing listens
 * on the port any more: connections are refused); {@link #revive()} listens on the same port again.
 */
final class Replica {

    final String name;
    private final Vertx vertx;
    private final int port;
    private final AtomicInteger served = new AtomicInteger();
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile HttpServer server;

    private Replica(Vertx vertx, String name, int port) {
        this.vertx = vertx;
        this.name = name;
        this.port = port;
    }

    static Replica start(Vertx vertx, String name) {
        Replica replica = new Replica(vertx, name, Ports.free());
        replica.revive();
        return replica;
    }

    Endpoint endpoint() {
        return new Endpoint("127.0.0.1", port);
    }

    /** How many requests it answered, over all its lives. */
    int served() {
        return served.get();
    }

    /**
     * Stops listening and closes every connection, and returns once they are closed: Vert.x completes a server's
     * close before it has closed the connections, which a dying process never leaves open.
     */
    void kill() {
        HttpServer running = server;
        server = null;
        if (running != null) {
            await(running.close());
            Awaitility.await().atMost(Futures.BOUND).until(connections::isEmpty);
        }
    }

    /** Listens on its port again. */
    void revive() {
        server = await(vertx.createHttpServer()
                .connectionHandler(connection -> {
                    connections.add(connection);
                    connection.closeHandler(v -> connections.remove(connection));
                })
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1"));
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            served.incrementAndGet();
            String text = request.method() == HttpMethod.POST ? name + ":" + body : name;
            request.response().putHeader("X-Upstream", name).end(text);
        });
    }
}
