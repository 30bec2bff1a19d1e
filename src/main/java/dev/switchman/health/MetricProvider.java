package dev.switchman.health;

import io.vertx.core.Future;

/**
 * Judges the traffic the new version serves over a window (a shift step's pause, the bake) from one source of
 * metrics: the router's own counters, a Prometheus query, a webhook. The gates only see windows and measurements;
 * the analysis combines the strategy's metrics, each measured on its own interval.
 */
public interface MetricProvider {

    /** Starts judging {@code subject} from now. Never fails: a source that cannot be read gives ERROR measurements. */
    Future<Window> open(Subject subject);

    /** Whether it judges by the router's own per-colour counters, which a router may not keep. */
    default boolean readsRouterCounters() {
        return false;
    }

    interface Window {
        /**
         * Judges what the subject served since open (or, for a source that keeps its own window, such as a PromQL
         * range, now): SUCCESS, FAILURE, INCONCLUSIVE (too little to judge) or ERROR (could not read). Never fails;
         * called again at each interval.
         */
        Future<Measurement> measure();
    }
}
