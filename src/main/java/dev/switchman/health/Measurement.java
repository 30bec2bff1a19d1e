package dev.switchman.health;

import java.time.Instant;

/**
 * One probe's result. A provider never throws: an error is a measurement with phase {@code ERROR}. {@code
 * INCONCLUSIVE}: too little to judge (too few requests, counters that started again), never a pass.
 */
public record Measurement(Instant at, Phase phase, String detail) {
    public enum Phase { SUCCESS, FAILURE, ERROR, INCONCLUSIVE }

    public boolean ok() {
        return phase == Phase.SUCCESS;
    }
}
