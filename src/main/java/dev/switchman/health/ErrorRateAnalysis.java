package dev.switchman.health;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;

/**
 * Judges the new colour from the router's own counters over a window (a shift step's pause, the bake): the
 * verdict is a pure function of the two readings, so it is tested without any traffic.
 */
public final class ErrorRateAnalysis {
    private ErrorRateAnalysis() {}

    public record Result(boolean passed, long requests, long errors, String detail) {}

    public static Result judge(RouterStatus before, RouterStatus after, Colour colour, double maxErrorRate) {
        long requests = after.stats(colour).requests() - before.stats(colour).requests();
        long errors = after.stats(colour).errors() - before.stats(colour).errors();
        if (requests <= 0) {
            return new Result(true, 0, 0, "no requests reached " + colour + " in the window");
        }
        double rate = (double) errors / requests;
        String detail = String.format("%s: %d errors in %d requests (%.1f%%, limit %.1f%%)",
                colour, errors, requests, rate * 100, maxErrorRate * 100);
        return new Result(rate <= maxErrorRate, requests, errors, detail);
    }
}
