package dev.switchman.gate;

import dev.switchman.health.ErrorRateAnalysis;
import dev.switchman.health.Measurement;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Judges the new version's traffic over a window (a shift step's pause, the bake): metrics read as the window
 * opens, the pause, then judged on what the new slot served since. The one place the gates read metrics.
 */
final class Analysis {
    private Analysis() {}

    /** The window's judgement; never fails: a metric that cannot be read is a measurement with phase ERROR. */
    static Future<Measurement> over(ReleaseContext ctx, Duration window) {
        return ctx.seams.router().status().compose(before -> ctx.pause(window)
                .compose(v -> ctx.seams.router().status())
                .map(after -> {
                    ErrorRateAnalysis.Result result = ErrorRateAnalysis.judge(before, after, ctx.newColour(),
                            ctx.strategy.maxErrorRate());
                    return new Measurement(ctx.clock.instant(), result.passed() ? Measurement.Phase.SUCCESS
                            : Measurement.Phase.FAILURE, result.detail());
                }))
                .recover(e -> Future.succeededFuture(new Measurement(ctx.clock.instant(), Measurement.Phase.ERROR,
                        "cannot read the router's counters: " + e.getMessage())));
    }
}
