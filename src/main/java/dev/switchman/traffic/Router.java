package dev.switchman.traffic;

import dev.switchman.model.Colour;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Sends the application's public traffic to its colours. Like Argo Rollouts' traffic routers it is given the
 * full desired state and then asked to verify that it holds; a router lives outside the coordinator and is
 * driven through its own API.
 */
public interface Router {

    /** Applies the absolute target. Idempotent. */
    Future<Void> setWeights(TrafficTarget target);

    /** Whether the router now applies exactly this target. */
    Future<Boolean> verify(TrafficTarget target);

    /** The target applied now (null target when the router was never given one) and per-colour counters. */
    Future<RouterStatus> status();

    /**
     * Completes when no request to {@code colour} is in flight any more, or fails after the router's own drain
     * timeout. A router that cannot count in-flight requests waits for its documented drain time instead.
     */
    Future<Void> drain(Colour colour);

    /**
     * Whether {@link #status()} counts requests per colour. A router that cannot (nginx without a metrics module)
     * reports no counts rather than wrong ones, and a release through it is judged by other metrics.
     */
    default boolean countsPerColour() {
        return true;
    }

    /**
     * Whether this router can hold new requests for a while ({@link #pause}): what a contract change marked
     * {@code switchman:pause} needs, so that no request meets the exclusive lock it takes.
     */
    default boolean canPause() {
        return false;
    }

    /**
     * Holds every new request from now on, and completes once the requests in flight have ended (or {@code bound}
     * has passed): the application then has no request that could wait on a lock. The hold ends with
     * {@link #resume}, or by itself once {@code bound} has passed, when the requests still held are answered 503 with
     * {@code Retry-After}; so a coordinator that dies while the router holds requests holds them no longer than that.
     */
    default Future<Void> pause(Duration bound) {
        return Future.failedFuture(new UnsupportedOperationException("this router cannot hold requests"));
    }

    /** Sends the requests held by {@link #pause} on, and every new one; a router that is not paused is left as it is. */
    default Future<Void> resume() {
        return Future.failedFuture(new UnsupportedOperationException("this router cannot hold requests"));
    }
}
