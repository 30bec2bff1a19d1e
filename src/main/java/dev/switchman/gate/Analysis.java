package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.health.Measurement;
import dev.switchman.health.MetricProvider.Window;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges the new version's traffic over a window (a shift step's pause, the bake): a window of the release's
 * metrics opened, the pause, then the measurement of what the new slot served since. The one place the gates
 * read metrics, so another source of analysis plugs in without touching them. A long window says it is alive:
 * every {@link #HEARTBEAT} it reports what each colour served so far (only the new one is judged).
 */
final class Analysis {
    /** Often enough for a person watching and for a CI log that shows a job is not stuck. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private Analysis() {}

    /** The window's judgement; never fails: metrics that cannot be read are a measurement with phase ERROR. */
    static Future<Measurement> over(ReleaseContext ctx, String gate, Duration window) {
        Future<Window> live = window.compareTo(HEARTBEAT) <= 0 || ctx.liveColour() == null
                ? Future.succeededFuture(null) : ctx.seams.metrics().open(ctx.liveColour());
        return Future.all(ctx.seams.metrics().open(ctx.newColour()), live).compose(both -> {
            Window judged = both.resultAt(0);
            Window shown = both.resultAt(1);
            Instant start = ctx.clock.instant();
            long heartbeat = window.compareTo(HEARTBEAT) <= 0 ? -1 : ctx.vertx.setPeriodic(HEARTBEAT.toMillis(), id ->
                    soFar(judged, shown).onSuccess(so -> ctx.note(gate, Durations.format(roundedSince(ctx, start))
                            + " of " + Durations.format(window) + ": " + so)));
            return ctx.pause(window)
                    .andThen(waited -> ctx.vertx.cancelTimer(heartbeat))
                    .compose(v -> judged.measure());
        });
    }

    /** What the new colour, then the live one (when shown), served since the window opened. */
    private static Future<String> soFar(Window judged, Window shown) {
        Future<Measurement> other = shown == null ? Future.succeededFuture() : shown.measure();
        return Future.all(judged.measure(), other).map(both -> {
            Measurement live = both.resultAt(1);
            return both.<Measurement>resultAt(0).detail() + (live == null ? "" : "; " + live.detail());
        });
    }

    private static Duration roundedSince(ReleaseContext ctx, Instant start) {
        return Duration.ofSeconds(Math.round(Duration.between(start, ctx.clock.instant()).toMillis() / 1000.0));
    }
}
