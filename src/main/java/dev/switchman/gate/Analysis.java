package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.health.Measurement;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges the new version's traffic over a window (a shift step's pause, the bake): a window of the release's
 * metrics opened, the pause, then the measurement of what the new slot served since. The one place the gates
 * read metrics, so another source of analysis plugs in without touching them. A long window says it is alive:
 * every {@link #HEARTBEAT} it reports what the new slot served so far.
 */
final class Analysis {
    /** Often enough for a person watching and for a CI log that shows a job is not stuck. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private Analysis() {}

    /** The window's judgement; never fails: metrics that cannot be read are a measurement with phase ERROR. */
    static Future<Measurement> over(ReleaseContext ctx, String gate, Duration window) {
        return ctx.seams.metrics().open(ctx.newColour()).compose(opened -> {
            Instant start = ctx.clock.instant();
            long heartbeat = window.compareTo(HEARTBEAT) <= 0 ? -1 : ctx.vertx.setPeriodic(HEARTBEAT.toMillis(), id ->
                    opened.measure().onSuccess(so -> ctx.note(gate, Durations.format(roundedSince(ctx, start)) + " of "
                            + Durations.format(window) + ": " + so.detail())));
            return ctx.pause(window)
                    .andThen(waited -> ctx.vertx.cancelTimer(heartbeat))
                    .compose(v -> opened.measure());
        });
    }

    private static Duration roundedSince(ReleaseContext ctx, Instant start) {
        return Duration.ofSeconds(Math.round(Duration.between(start, ctx.clock.instant()).toMillis() / 1000.0));
    }
}
