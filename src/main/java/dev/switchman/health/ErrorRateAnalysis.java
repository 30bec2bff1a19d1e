package dev.switchman.health;

import dev.switchman.health.router.ErrorRate;
import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;

/**
 * Judges the new colour from the router's own counters over a window (a shift step's pause, the bake): the
 * verdict is a pure function of the two readings, so it is tested without any traffic. Kept for the gates until
 * they judge through a {@link MetricProvider}; the judgement itself is {@link ErrorRate}'s.
 */
public final class ErrorRateAnalysis {
    private ErrorRateAnalysis() {}

    public record Result(boolean passed, long requests, long errors, String detail) {}

    public static Result judge(RouterStatus before, RouterStatus after, Colour colour, double maxErrorRate) {
        ErrorRate rate = ErrorRate.between(before, after, colour);
        return new Result(rate.within(maxErrorRate), rate.requests(), rate.errors(), rate.detail(maxErrorRate));
    }
}
