package dev.switchman.traffic.builtin;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The router's pause: while it is on, new requests wait here, unread, instead of reaching an application whose
 * table a contract change holds locked; {@link #release} sends them on, each on its own event loop, with the weights
 * of that moment. A pause ends by itself once its bound has passed: the requests still held are answered 503 with
 * {@code Retry-After}, so a coordinator that died while pausing holds nobody for longer than it asked. Not paused,
 * a request costs one volatile read.
 */
final class Hold {

    private record Held(HttpServerRequest request, Runnable proceed, Context context) {}

    private final Vertx vertx;
    private volatile boolean paused;
    /** Guarded by this: the requests waiting, and which pause the timer of the moment ends. */
    private final List<Held> held = new ArrayList<>();
    private long generation;
    private long timer = -1;
    private long total;

    Hold(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Whether {@code request} may be routed now; if not it is held, and {@code proceed} runs on the request's event
     * loop once the pause ends (unless the bound ran out first, when it is answered 503).
     */
    boolean admit(HttpServerRequest request, Runnable proceed) {
        if (!paused) {
            return true;
        }
        synchronized (this) {
            if (!paused) {
                return true;
            }
            request.pause(); // its body stays in the socket until it is sent on
            held.add(new Held(request, proceed, vertx.getOrCreateContext()));
            total++;
            return false;
        }
    }

    /** Holds new requests from now until {@link #release}, or for {@code bound} at most; a second pause restarts the bound. */
    synchronized void pause(Duration bound) {
        paused = true;
        long mine = ++generation;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> expire(mine));
    }

    /** Ends the pause: the held requests go on to their colours. Returns how many were held. */
    int release() {
        List<Held> waiting = end();
        for (Held h : waiting) {
            h.context().runOnContext(v -> {
                h.request().resume();
                h.proceed().run();
            });
        }
        return waiting.size();
    }

    boolean paused() {
        return paused;
    }

    /** Requests held now. */
    synchronized int waiting() {
        return held.size();
    }

    /** Requests held since the router started. */
    synchronized long total() {
        return total;
    }

    private void expire(long pause) {
        List<Held> waiting;
        synchronized (this) {
            if (pause != generation || !paused) {
                return; // a later pause, or a release, got here first
            }
            waiting = end();
        }
        for (Held h : waiting) {
            h.context().runOnContext(v -> {
                if (!h.request().response().ended() && !h.request().response().closed()) {
                    h.request().response().setStatusCode(503)
                            .putHeader(HttpHeaders.RETRY_AFTER, "1")
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                            .putHeader(HttpHeaders.CONNECTION, "close") // its body was never read
                            .end("held while the database changed, for longer than the pause's bound: retry\n");
                }
            });
        }
    }

    private synchronized List<Held> end() {
        paused = false;
        generation++;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        List<Held> waiting = List.copyOf(held);
        held.clear();
        return waiting;
    }
}
