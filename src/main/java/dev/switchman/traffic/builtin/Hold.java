package dev.switchman.traffic.builtin;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The router's pause: while it is on, new requests wait here, unread, instead of reaching an application whose
 * table a contract change holds locked; {@link #release} sends them on, each on its own event loop, with the weights
 * of that moment. A pause ends by itself once its bound has passed: the requests still held are answered 503 with
 * {@code Retry-After}, so a coordinator that died while pausing holds nobody for longer than it asked. Not paused,
 * a request costs one volatile read.
 */
final class Hold {

    private record Held(Executor loop, Runnable proceed, Runnable refuse) {}

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
     * Whether a request may be routed now; if not it is held, its body left unread, and {@code proceed} runs on its
     * event {@code loop} once the pause ends, or {@code refuse} (to answer it 503) if the bound ran out first.
     */
    boolean admit(Executor loop, Runnable proceed, Runnable refuse) {
        if (!paused) {
            return true;
        }
        synchronized (this) {
            if (!paused) {
                return true;
            }
            held.add(new Held(loop, proceed, refuse));
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
            h.loop().execute(h.proceed());
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
            h.loop().execute(h.refuse());
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
