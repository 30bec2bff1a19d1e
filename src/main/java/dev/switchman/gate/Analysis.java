package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.config.StrategyConfig;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider.Window;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges the new version's traffic over a window (a shift step's pause, the bake), continuously: every
 * {@code analysis.interval} the window is measured, and the first failing judgement ends it at once, so a
 * release rolls back a second after its new version starts failing rather than at the window's end. What the
 * window ends with when it was never conclusive (too little traffic) is the strategy's {@code onInconclusive}.
 * The one place the gates read metrics, so another source of analysis plugs in without touching them. A long
 * window says it is alive: every {@link #HEARTBEAT} it reports what each colour served so far.
 */
final class Analysis {
    /** Often enough for a person watching and for a CI log that shows a job is not stuck. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Metrics that cannot be read this many times in a row fail the window (once is a blip). */
    static final int UNREADABLE_LIMIT = 3;

    private Analysis() {}

    /**
     * The window's judgement, SUCCESS or not; fails only with {@link dev.switchman.release.Cancelled} when the
     * release is asked to stop. A window of no length is not judged.
     */
    static Future<Measurement> over(ReleaseContext ctx, String gate, Duration window) {
        if (window.isZero()) {
            return Future.succeededFuture(new Measurement(ctx.clock.instant(), Phase.SUCCESS, "not judged: no window (0s)"));
        }
        Future<Window> live = window.compareTo(HEARTBEAT) <= 0 || ctx.liveColour() == null
                ? Future.succeededFuture(null) : ctx.seams.metrics().open(ctx.liveColour());
        return Future.all(ctx.seams.metrics().open(ctx.newColour()), live)
                .compose(both -> new Judging(ctx, gate, window, both.resultAt(0), both.resultAt(1)).next());
    }

    /** One window being judged: its clock, the measurements so far, the policy. */
    private static final class Judging {
        private final ReleaseContext ctx;
        private final String gate;
        private final Duration window;
        private final StrategyConfig.Analysis policy;
        private final Window judged;
        private final Window shown;
        private final Instant start;
        private Instant end;
        private Instant nextHeartbeat;
        private int unreadable;

        Judging(ReleaseContext ctx, String gate, Duration window, Window judged, Window shown) {
            this.ctx = ctx;
            this.gate = gate;
            this.window = window;
            this.policy = ctx.strategy.analysis();
            this.judged = judged;
            this.shown = shown;
            this.start = ctx.clock.instant();
            this.end = start.plus(window);
            this.nextHeartbeat = start.plus(HEARTBEAT);
        }

        Future<Measurement> next() {
            Duration left = Duration.between(ctx.clock.instant(), end);
            Duration wait = left.compareTo(policy.interval()) < 0 ? left : policy.interval();
            return ctx.pause(wait.isNegative() ? Duration.ZERO : wait)
                    .compose(v -> judged.measure())
                    .compose(this::judge);
        }

        private Future<Measurement> judge(Measurement m) {
            Instant now = ctx.clock.instant();
            if (m.phase() == Phase.FAILURE || (m.phase() == Phase.ERROR && ++unreadable >= UNREADABLE_LIMIT)) {
                ctx.analysisFailed(m.at());
                return Future.succeededFuture(m);
            }
            if (m.phase() != Phase.ERROR) {
                unreadable = 0;
            }
            heartbeat(now, m);
            if (now.isBefore(end)) {
                return next();
            }
            return switch (m.phase()) {
                case SUCCESS -> Future.succeededFuture(m);
                case ERROR -> {
                    ctx.analysisFailed(m.at());
                    yield Future.succeededFuture(m);
                }
                default -> inconclusive(m, now);
            };
        }

        private Future<Measurement> inconclusive(Measurement m, Instant now) {
            if (ctx.firstRelease() || policy.onInconclusive() == StrategyConfig.Inconclusive.PASS) {
                // Nothing was live, so no traffic was there to judge: passing it risks no one's requests.
                String why = ctx.firstRelease() ? "nothing was live before, so " : "analysis.onInconclusive is pass: ";
                ctx.note(gate, "warning: not judged, " + why + m.detail());
                return Future.succeededFuture(new Measurement(m.at(), Phase.SUCCESS, "not judged (" + m.detail() + ")"));
            }
            if (policy.onInconclusive() == StrategyConfig.Inconclusive.WAIT
                    && now.isBefore(start.plus(window).plus(policy.inconclusiveDeadline()))) {
                end = now.plus(policy.interval());
                return next();
            }
            String waited = policy.onInconclusive() == StrategyConfig.Inconclusive.WAIT
                    ? " after waiting analysis.inconclusiveDeadline (" + Durations.format(policy.inconclusiveDeadline()) + ")" : "";
            ctx.analysisFailed(m.at());
            return Future.succeededFuture(new Measurement(m.at(), Phase.FAILURE, "inconclusive" + waited + ": " + m.detail()
                    + "; too little traffic is no evidence (set analysis.minRequests or analysis.onInconclusive in the strategy)"));
        }

        private void heartbeat(Instant now, Measurement m) {
            if (now.isBefore(nextHeartbeat)) {
                return;
            }
            nextHeartbeat = nextHeartbeat.plus(HEARTBEAT);
            String so = Durations.format(Duration.ofSeconds(Math.round(Duration.between(start, now).toMillis() / 1000.0)))
                    + " of " + Durations.format(window) + ": " + m.detail();
            if (shown == null) {
                ctx.note(gate, so);
            } else {
                shown.measure().onSuccess(live -> ctx.note(gate, so + "; " + live.detail()));
            }
        }
    }
}
