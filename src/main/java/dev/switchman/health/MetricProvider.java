package dev.switchman.health;

import dev.switchman.model.Colour;
import io.vertx.core.Future;

/**
 * Judges the traffic a colour serves over a window (a shift step's pause, the bake) from some source of metrics:
 * the router's own counters, or an external analysis. The gates only see windows and measurements.
 */
public interface MetricProvider {

    /** Starts judging colour's traffic from now. Never fails. */
    Future<Window> open(Colour colour);

    interface Window {
        /**
         * Judges what the colour served since open: SUCCESS, FAILURE (too many errors) or ERROR (could not read);
         * never fails; may be called again later.
         */
        Future<Measurement> measure();
    }
}
