package dev.switchman.traffic;

import dev.switchman.model.Colour;
import io.vertx.core.Future;

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
}
