package dev.switchman.traffic.builtin;

import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The kept-alive upstream connections of one event loop, by endpoint: a request takes an idle one, or connects, and
 * gives it back once its response ended in full. One deque lookup per request instead of the client's general pool
 * (its locks and futures, shared across event loops); as many connections as requests in flight, at most
 * {@link #MAX_IDLE} idle per endpoint, each closed after {@link #KEEP_ALIVE_MILLIS} idle. Event loop only.
 */
final class UpstreamPool {

    static final int MAX_IDLE = 256;
    static final long KEEP_ALIVE_MILLIS = 30_000;
    private static final long EVICT_EVERY_MILLIS = 5_000;

    /** A connection and whether it closed (the upstream, a reset or a {@code Connection: close} did it). */
    static final class Connection {
        final HttpClientConnection connection;
        final Endpoint endpoint;
        /** Whether it served a request before: then it may have closed in the instant before this one. */
        boolean reused;
        private boolean closed;
        private long idleSince;

        private Connection(HttpClientConnection connection, Endpoint endpoint) {
            this.connection = connection;
            this.endpoint = endpoint;
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final Map<Endpoint, ArrayDeque<Connection>> idle = new HashMap<>();
    private final long evictor;

    /** Connects through {@code client}; to be created on the event loop it serves. */
    UpstreamPool(Vertx vertx, HttpClientAgent client) {
        this.vertx = vertx;
        this.client = client;
        this.evictor = vertx.setPeriodic(EVICT_EVERY_MILLIS, id -> evict());
    }

    /** An idle connection to {@code endpoint} (the one used last, warm in every cache), or null. */
    Connection idle(Endpoint endpoint) {
        ArrayDeque<Connection> free = idle.get(endpoint);
        if (free != null) {
            Connection c;
            while ((c = free.pollLast()) != null) {
                if (!c.closed) {
                    c.reused = true;
                    return c;
                }
            }
        }
        return null;
    }

    /** A new connection; fails when connecting failed. */
    Future<Connection> connect(Endpoint endpoint) {
        HttpConnectOptions options = new HttpConnectOptions()
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setHost(endpoint.host()).setPort(endpoint.port());
        return client.connect(options).map(connection -> {
            Connection c = new Connection(connection, endpoint);
            connection.closeHandler(v -> c.closed = true);
            return c;
        });
    }

    /** Gives back a connection whose request and response both ended in full. */
    void release(Connection c) {
        if (c.closed) {
            return;
        }
        ArrayDeque<Connection> free = idle.computeIfAbsent(c.endpoint, e -> new ArrayDeque<>());
        if (free.size() >= MAX_IDLE) {
            c.connection.close();
            return;
        }
        c.idleSince = System.nanoTime();
        free.addLast(c);
    }

    /** Closes the idle connections and stops evicting; the client's own close ends the rest. */
    void close() {
        vertx.cancelTimer(evictor);
        idle.values().forEach(free -> free.forEach(c -> c.connection.close()));
        idle.clear();
    }

    private void evict() {
        long now = System.nanoTime();
        for (ArrayDeque<Connection> free : idle.values()) {
            // Oldest first: the deque is taken from its end, so its head has waited longest.
            Connection c;
            while ((c = free.peekFirst()) != null && (c.closed || now - c.idleSince > KEEP_ALIVE_MILLIS * 1_000_000)) {
                free.pollFirst();
                c.connection.close();
            }
        }
    }
}
