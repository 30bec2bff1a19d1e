package dev.switchman.traffic.builtin;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that each send one {@code GET /} after another through the router, counting who answered and every
 * answer that is not a 200 as a failure. {@link #pause()} holds each client between two requests, so that a test
 * changes the world with no request in flight; all decisions run on the router client's context, one at a time.
 */
final class ClientLoop {

    private final RouterUnderTest router;
    private final Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final Queue<Integer> parked = new ArrayDeque<>();
    private boolean paused;
    private boolean stopped;

    private ClientLoop(RouterUnderTest router) {
        this.router = router;
    }

    static ClientLoop start(RouterUnderTest router, int clients) {
        ClientLoop loop = new ClientLoop(router);
        loop.running.set(clients);
        loop.onContext(() -> {
            for (int client = 0; client < clients; client++) {
                loop.next(client);
            }
        });
        return loop;
    }

    /** Requests answered with 200, whoever answered. */
    int ok() {
        return answeredBy.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int answeredBy(String name) {
        AtomicInteger n = answeredBy.get(name);
        return n == null ? 0 : n.get();
    }

    Queue<String> failures() {
        return failures;
    }

    /** Holds every client before its next request, from when the future completes; then wait for {@link #idle()}. */
    Future<Void> pause() {
        return onContext(() -> paused = true);
    }

    /** No request is in flight. */
    boolean idle() {
        return busy.get() == 0;
    }

    void resume() {
        onContext(() -> {
            paused = false;
            Integer client;
            while ((client = parked.poll()) != null) {
                next(client);
            }
        });
    }

    /** Ends every client after its current request; the caller waits for {@link #stopped()}. */
    void stop() {
        onContext(() -> {
            stopped = true;
            running.addAndGet(-parked.size());
            parked.clear();
        });
    }

    boolean stopped() {
        return running.get() == 0;
    }

    private void next(int client) {
        if (stopped) {
            running.decrementAndGet();
            return;
        }
        if (paused) {
            parked.add(client);
            return;
        }
        busy.incrementAndGet();
        router.get("/").onComplete(ar -> {
            busy.decrementAndGet();
            if (ar.failed()) {
                failures.add(client + ": " + ar.cause());
            } else if (ar.result().status() != 200) {
                failures.add(client + ": status " + ar.result().status() + " " + ar.result().body());
            } else {
                answeredBy.computeIfAbsent(ar.result().body(), name -> new AtomicInteger()).incrementAndGet();
            }
            next(client);
        });
    }

    private Future<Void> onContext(Runnable action) {
        return router.onContext(() -> {
            action.run();
            return Future.succeededFuture();
        });
    }
}
