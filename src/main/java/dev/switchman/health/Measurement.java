package dev.switchman.health;

import java.time.Instant;

/** One probe's result. A provider never throws: an error is a measurement with phase {@code ERROR}. */
public record Measurement(Instant at, Phase phase, String detail) {
    public enum Phase { SUCCESS, FAILURE, ERROR }

    public boolean ok() {
        return phase == Phase.SUCCESS;
    }
}
