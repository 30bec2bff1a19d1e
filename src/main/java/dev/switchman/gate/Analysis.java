package dev.switchman.gate;

import dev.switchman.health.Measurement;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Judges the new version's traffic over a window (a shift step's pause, the bake): a window of the release's
 * metrics opened, the pause, then the measurement of what the new slot served since. The one place the gates
 * read metrics, so another source of analysis plugs in without touching them.
 */
final class Analysis {
    private Analysis() {}

    /** The window's judgement; never fails: metrics that cannot be read are a measurement with phase ERROR. */
    static Future<Measurement> over(ReleaseContext ctx, Duration window) {
        return ctx.seams.metrics().open(ctx.newColour())
                .compose(opened -> ctx.pause(window).compose(v -> opened.measure()));
    }
}
