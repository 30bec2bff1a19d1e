package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.config.StrategyConfig;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Metric;
import dev.switchman.health.MetricProvider.Window;
import dev.switchman.health.Subject;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges the new version over a window (an analyse or pause step, an approval, the bake) continuously: each of the
 * strategy's metrics is measured on its own interval, and the first failing judgement ends the window at once, so a
 * release rolls back a second after its new version starts failing rather than at the window's end. A metric fails
 * the window after {@code failureLimit} failing measurements in a row, or after {@link #UNREADABLE_LIMIT} it could
 * not read; {@code inconclusiveLimit} inconclusive ones in a row make the window inconclusive at once. At its end an
 * analysed window needs every metric's last measurement to pass: one still inconclusive (too little traffic) is the
 * strategy's {@code onInconclusive}. A pause or an approval only waits: it ends on a failing judgement, not on a lack
 * of evidence, and no window ends on a run of failures short of its limit: it is judged on until the run ends
 * either way. Besides the strategy's metrics, the health checks keep probing both slots, the live one too: a live
 * slot that stops passing them fails the window, so that the release stops while it can still say what it saw
 * (and {@link ShiftGate#undo} does not send traffic back to it). A long window says it is alive: every {@link #HEARTBEAT} it reports what each colour served so far.
 */
final class Analysis {
    /** Often enough for a person watching and for a CI log that shows a job is not stuck. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Metrics that cannot be read this many times in a row fail the window (once is a blip). */
    static final int UNREADABLE_LIMIT = 3;
    private static final Duration MIN_WAIT = Duration.ofMillis(1);
    /** The names of the health checks kept running on the new and the live slot. */
    static final String HEALTH = "health";
    static final String LIVE_HEALTH = "live health";

    private Analysis() {}

    /** An analyse step or the bake: the window must end conclusive. A window of no length is not judged. */
    static Future<Measurement> over(ReleaseContext ctx, String gate, Duration window) {
        return window.isZero() ? notJudged(ctx, "no window (0s)") : open(ctx, gate, window, true, null);
    }

    /** A pause: waits out the window, ended early only by a failing judgement. */
    static Future<Measurement> paused(ReleaseContext ctx, String gate, Duration window) {
        return window.isZero() ? notJudged(ctx, "no window (0s)") : open(ctx, gate, window, false, null);
    }

    /**
     * Judges until {@code decision} completes (a person's promote or abort, an approval's deadline), and gives its
     * measurement; a failing judgement before that ends the wait with the failure instead.
     */
    static Future<Measurement> until(ReleaseContext ctx, String gate, Future<Measurement> decision) {
        return open(ctx, gate, null, false, decision);
    }

    private static Future<Measurement> notJudged(ReleaseContext ctx, String why) {
        return Future.succeededFuture(new Measurement(ctx.clock.instant(), Phase.SUCCESS, "not judged: " + why));
    }

    private static Future<Measurement> open(ReleaseContext ctx, String gate, Duration window, boolean conclusive,
                                            Future<Measurement> decision) {
        Subject subject = new Subject(ctx.application, ctx.newColour(), ctx.version(), ctx.liveColour(), ctx.liveVersion());
        List<Metric> metrics = ctx.seams.metrics();
        List<Metric> judging = new ArrayList<>(metrics);
        // Health checks keep running on both slots: the new one failing them fails the window, and so does the live
        // one, as a rollback would then have nowhere healthy to go back to.
        if (ctx.newSlot() != null) {
            judging.add(HealthWatch.of(HEALTH, ctx.seams.health(), ctx.newSlot(), ctx.version()));
        }
        if (ctx.liveSlot() != null) {
            judging.add(HealthWatch.of(LIVE_HEALTH, ctx.seams.health(), ctx.liveSlot(), ctx.liveVersion()));
        }
        List<Future<Window>> opened = new ArrayList<>();
        for (Metric metric : judging) {
            opened.add(metric.provider().open(subject));
        }
        boolean showLive = !metrics.isEmpty() && ctx.liveColour() != null && (window == null || window.compareTo(HEARTBEAT) > 0);
        Future<Window> live = showLive ? metrics.getFirst().provider().open(subject.live()) : Future.succeededFuture(null);
        return Future.all(opened).compose(all -> live.compose(shown -> {
            List<Track> tracks = new ArrayList<>();
            for (int i = 0; i < judging.size(); i++) {
                tracks.add(new Track(judging.get(i), all.resultAt(i)));
            }
            return new Judging(ctx, gate, window, conclusive, decision, tracks, shown).next();
        }));
    }

    /** One metric being judged in a window: its window, when it is next measured, its runs of verdicts. */
    private static final class Track {
        final Metric metric;
        final Window window;
        Instant due;
        Measurement last;
        Instant firstFailure;
        int failures;
        int inconclusive;
        int unreadable;

        Track(Metric metric, Window window) {
            this.metric = metric;
            this.window = window;
        }

        /** The window's verdict this measurement calls for, if it ends the window now. */
        Measurement record(Measurement m, Integer inconclusiveLimit) {
            last = m;
            failures = m.phase() == Phase.FAILURE ? failures + 1 : 0;
            firstFailure = failures == 1 ? m.at() : failures == 0 ? null : firstFailure;
            unreadable = m.phase() == Phase.ERROR ? unreadable + 1 : 0;
            inconclusive = m.phase() == Phase.INCONCLUSIVE ? inconclusive + 1 : 0;
            if (failures >= metric.spec().failureLimit()) {
                return new Measurement(firstFailure, Phase.FAILURE, named(m.detail())
                        + (failures > 1 ? " (" + failures + " failing measurements in a row)" : ""));
            }
            if (unreadable >= UNREADABLE_LIMIT) {
                return new Measurement(m.at(), Phase.FAILURE, named(m.detail()) + " (" + unreadable + " times in a row)");
            }
            if (inconclusiveLimit != null && inconclusive >= inconclusiveLimit) {
                return new Measurement(m.at(), Phase.INCONCLUSIVE, named(m.detail()));
            }
            return null;
        }

        String named(String detail) {
            return metric.name().equals("router") || metric.name().equals(HEALTH) ? detail
                    : metric.name().equals(LIVE_HEALTH) ? "the live slot: " + detail : metric.name() + ": " + detail;
        }
    }

    /** One window being judged: its clock, its metrics, the policy. */
    private static final class Judging {
        private final ReleaseContext ctx;
        private final String gate;
        private final Duration window;
        private final boolean conclusive;
        private final Future<Measurement> decision;
        private final StrategyConfig.Analysis policy;
        private final List<Track> tracks;
        private final Window shown;
        private final Instant start;
        private Instant end;
        private Instant nextHeartbeat;

        Judging(ReleaseContext ctx, String gate, Duration window, boolean conclusive, Future<Measurement> decision,
                List<Track> tracks, Window shown) {
            this.ctx = ctx;
            this.gate = gate;
            this.window = window;
            this.conclusive = conclusive;
            this.decision = decision;
            this.policy = ctx.strategy.analysis();
            this.tracks = tracks;
            this.shown = shown;
            this.start = ctx.clock.instant();
            this.end = window == null ? null : start.plus(window);
            this.nextHeartbeat = start.plus(HEARTBEAT);
            for (Track track : tracks) {
                track.due = start.plus(track.metric.spec().interval(policy));
            }
        }

        /** Waits for the next metric due (or the window's end, or the decision), then measures what is due. */
        Future<Measurement> next() {
            if (decision != null && decision.isComplete()) {
                return decided();
            }
            Instant now = ctx.clock.instant();
            Instant wake = end != null ? end : now.plus(policy.interval());
            for (Track track : tracks) {
                wake = track.due.isBefore(wake) ? track.due : wake;
            }
            // At least a millisecond: a wait shorter than a timer's resolution would come back at once, before
            // the clock reached the wake, and judging nothing again and again would recurse without end.
            Duration wait = Duration.between(now, wake);
            Future<Void> waited = ctx.pause(wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait);
            if (decision != null) {
                waited = Future.any(waited, decision).mapEmpty();
            }
            return waited.compose(v -> measureDue());
        }

        private Future<Measurement> measureDue() {
            Instant now = ctx.clock.instant();
            boolean atEnd = end != null && !now.isBefore(end);
            List<Track> due = new ArrayList<>();
            for (Track track : tracks) {
                if (!now.isBefore(track.due) || (atEnd && track.last == null)) {
                    due.add(track);
                }
            }
            List<Future<Measurement>> measured = due.stream().map(t -> t.window.measure()).toList();
            return Future.all(measured).compose(all -> {
                Instant at = ctx.clock.instant();
                for (int i = 0; i < due.size(); i++) {
                    Track track = due.get(i);
                    track.due = at.plus(track.metric.spec().interval(policy));
                    Measurement verdict = track.record(all.resultAt(i), track.metric.spec().inconclusiveLimit());
                    if (verdict != null && verdict.phase() == Phase.FAILURE) {
                        ctx.analysisFailed(verdict.at());
                        return Future.succeededFuture(verdict);
                    }
                    if (verdict != null && conclusive) {
                        return inconclusive(verdict, at);
                    }
                }
                heartbeat(at);
                if (decision != null && decision.isComplete()) {
                    return decided();
                }
                if (atEnd && unsettled() != null) {
                    // A run of failures short of its limit is not over: a window shorter than failureLimit
                    // intervals would otherwise pass a slot that never passed in it. Judge on until the run
                    // reaches its limit or a pass ends it.
                    end = unsettled().due;
                    return next();
                }
                return atEnd ? ended(at) : next();
            });
        }

        /** The track soonest due among those whose last measurements failed, short of their limit. */
        private Track unsettled() {
            Track soonest = null;
            for (Track track : tracks) {
                if (track.failures > 0 && (soonest == null || track.due.isBefore(soonest.due))) {
                    soonest = track;
                }
            }
            return soonest;
        }

        private Future<Measurement> decided() {
            Measurement decided = decision.result();
            if (decided != null && decided.phase() == Phase.FAILURE) {
                ctx.analysisFailed(decided.at());
            }
            return decision;
        }

        /** The window ran its length: every metric's last measurement decides it. */
        private Future<Measurement> ended(Instant at) {
            if (tracks.isEmpty()) {
                return Future.succeededFuture(new Measurement(at, Phase.SUCCESS, "no metrics: the strategy accepts no analysis"));
            }
            String details = tracks.stream().map(t -> t.named(t.last.detail())).collect(Collectors.joining("; "));
            Track unread = tracks.stream().filter(t -> t.last.phase() == Phase.ERROR).findFirst().orElse(null);
            if (unread != null) {
                ctx.analysisFailed(unread.last.at());
                return Future.succeededFuture(new Measurement(unread.last.at(), Phase.FAILURE, unread.named(unread.last.detail())));
            }
            Track thin = tracks.stream().filter(t -> t.last.phase() == Phase.INCONCLUSIVE).findFirst().orElse(null);
            if (thin == null) {
                return Future.succeededFuture(new Measurement(at, Phase.SUCCESS, details));
            }
            if (!conclusive) {
                return Future.succeededFuture(new Measurement(at, Phase.SUCCESS, "waited, " + details));
            }
            return inconclusive(new Measurement(thin.last.at(), Phase.INCONCLUSIVE, thin.named(thin.last.detail())), at);
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

        private void heartbeat(Instant now) {
            if (now.isBefore(nextHeartbeat) || tracks.stream().anyMatch(t -> t.last == null)) {
                return;
            }
            nextHeartbeat = nextHeartbeat.plus(HEARTBEAT);
            String elapsed = Durations.format(Duration.ofSeconds(Math.round(Duration.between(start, now).toMillis() / 1000.0)));
            String so = elapsed + (window == null ? "" : " of " + Durations.format(window)) + ": "
                    + tracks.stream().map(t -> t.named(t.last.detail())).collect(Collectors.joining("; "));
            if (shown == null) {
                ctx.note(gate, so);
            } else {
                shown.measure().onSuccess(live -> ctx.note(gate, so + "; " + live.detail()));
            }
        }
    }
}
