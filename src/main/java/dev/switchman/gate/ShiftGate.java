package dev.switchman.gate;

import dev.switchman.config.StrategyConfig;
import dev.switchman.health.HealthSettings;
import dev.switchman.health.Measurement;
import dev.switchman.model.Endpoint;
import dev.switchman.release.ProgressEvent;
import dev.switchman.release.ReleaseContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Moves traffic to the new version's slot in the strategy's steps (shift, analyse, pause, approve), giving the
 * router the absolute target at each shift, verifying it, and judging the new version throughout the waits. The store learns that traffic may reach
 * the new version before the router does, so a crash at any instant leaves a rollback that knows it. Undo: all
 * traffic back to the live slot, then wait for the new slot's in-flight requests to finish.
 */
public final class ShiftGate implements Gate {

    @Override
    public String name() {
        return "shift";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        // With nothing live there is nothing to split with or judge against: a first release only switches.
        List<StrategyConfig.Step> steps = ctx.firstRelease() ? List.of(StrategyConfig.Step.shiftTo(100)) : ctx.strategy.steps();
        return ctx.trafficShifting()
                .compose(v -> step(ctx, steps, 0, 0))
                .map(v -> "100% to " + ctx.version() + " in " + ctx.newColour() + " in " + steps.size() + " step(s)");
    }

    /** Runs steps[index] and the ones after it; {@code share} is the new version's share the steps so far gave it. */
    private Future<Void> step(ReleaseContext ctx, List<StrategyConfig.Step> steps, int index, int share) {
        if (index == steps.size()) {
            return Future.succeededFuture();
        }
        StrategyConfig.Step step = steps.get(index);
        String at = share + "% to " + ctx.version() + " in " + ctx.newColour();
        Future<Integer> done = switch (step.action()) {
            case SHIFT -> shift(ctx, step.share()).map(step.share());
            case ANALYSE -> judged(ctx, Analysis.over(ctx, name(), step.window()), at).map(share);
            case PAUSE -> judged(ctx, Analysis.paused(ctx, name(), step.window()), at).map(share);
            case APPROVE -> judged(ctx, Approvals.await(ctx, name(), step.approve(), "before the steps after " + at), at).map(share);
        };
        return done.compose(now -> step(ctx, steps, index + 1, now));
    }

    private Future<Void> shift(ReleaseContext ctx, int weight) {
        Router router = ctx.seams.router();
        TrafficTarget target = versioned(ctx, ctx.firstRelease()
                ? TrafficTarget.all(ctx.newColour(), ctx.newSlot().endpoints(), List.of())
                : TrafficTarget.split(ctx.liveColour(), liveEndpoints(ctx), ctx.newSlot().endpoints(), weight));
        String share = weight + "% to " + ctx.version() + " in " + ctx.newColour();
        return fenced(ctx)
                .compose(v -> setWeights(ctx, target))
                .compose(v -> router.verify(target))
                .compose(ok -> {
                    if (!ok) {
                        return Future.failedFuture(new GateFailure("the router does not apply " + share + " after being told to"));
                    }
                    ctx.note(name(), share);
                    return Future.succeededFuture();
                });
    }

    private Future<Void> judged(ReleaseContext ctx, Future<Measurement> judging, String at) {
        return judging.compose(judged -> {
            ctx.note(name(), at + ": " + judged.detail());
            return judged.ok() ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(new GateFailure("analysis at " + at + ": " + judged.detail()));
        });
    }

    /** Fails unless this coordinator still holds the release lock: one that lost it must not move traffic. */
    private static Future<Void> fenced(ReleaseContext ctx) {
        return ctx.seams.store().holdsLock(ctx.application).compose(held -> held ? Future.<Void>succeededFuture()
                : Future.<Void>failedFuture(new GateFailure("this coordinator no longer holds the release lock of "
                        + ctx.application + " (its database session ended): traffic is left as it is")));
    }

    @Override
    public Future<String> undo(ReleaseContext ctx) {
        Router router = ctx.seams.router();
        List<Endpoint> newEndpoints = ctx.newSlot() == null ? List.of() : ctx.newSlot().endpoints();
        if (ctx.firstRelease()) {
            return setWeights(ctx, TrafficTarget.none())
                    .compose(v -> router.drain(ctx.newColour()))
                    .map(v -> "no traffic to " + ctx.newColour() + " (nothing was live before)" + sinceFirstFailure(ctx));
        }
        if (ctx.liveSlot() == null) {
            return Future.failedFuture(new GateFailure("no slot record for the live slot " + ctx.liveColour()
                    + ": cannot send traffic back to it"));
        }
        TrafficTarget back = versioned(ctx, TrafficTarget.all(ctx.liveColour(), ctx.liveSlot().endpoints(), newEndpoints));
        return liveHealthy(ctx).compose(healthy -> healthy.ok()
                ? setWeights(ctx, back)
                        .map(v -> sinceFirstFailure(ctx))
                        .compose(span -> router.drain(ctx.newColour()).map(span))
                        .map(span -> "100% back to " + ctx.liveVersion() + " in " + ctx.liveColour() + ", " + ctx.newColour()
                                + " drained" + span)
                : keepOnNew(ctx, healthy));
    }

    /**
     * Whether the live slot passes a health probe now, tried {@link HealthWatch#FAILURE_LIMIT} times a probe
     * interval apart before it is judged failing: traffic is never sent back to a slot that fails its checks.
     */
    private static Future<Measurement> liveHealthy(ReleaseContext ctx) {
        HealthWatch watch = HealthWatch.on(ctx.seams.health(), ctx.liveSlot(), ctx.liveVersion());
        return probeLive(ctx, watch, HealthWatch.FAILURE_LIMIT);
    }

    private static Future<Measurement> probeLive(ReleaseContext ctx, HealthWatch watch, int tries) {
        return watch.measure().compose(m -> m.ok() || tries <= 1 ? Future.succeededFuture(m)
                : ctx.vertx.timer(ctx.config.config().health().settings(HealthSettings.class).schedule().interval().toMillis()).compose(v -> probeLive(ctx, watch, tries - 1)));
    }

    /**
     * The live slot fails its health checks: sending traffic back to it would fail every request. When the new
     * slot is healthy, all traffic goes to it and the undo stops there, since the gates before would stop it; a
     * person decides (exit 3). When neither is healthy, traffic is left where it is.
     */
    private static Future<String> keepOnNew(ReleaseContext ctx, Measurement live) {
        if (ctx.newSlot() == null) {
            return Future.failedFuture(new UndoHeld("not sending traffic back to " + ctx.liveColour() + ": " + live.detail()));
        }
        HealthWatch watch = HealthWatch.on(ctx.seams.health(), ctx.newSlot(), ctx.version());
        return watch.measure().compose(fresh -> {
            String why = "not sending traffic back to " + ctx.liveColour() + ": " + live.detail();
            if (!fresh.ok()) {
                return Future.failedFuture(new UndoHeld(why + "; " + fresh.detail() + " too: traffic is left as it is"));
            }
            TrafficTarget all = versioned(ctx, TrafficTarget.all(ctx.newColour(), ctx.newSlot().endpoints(),
                    ctx.liveSlot().endpoints()));
            return setWeights(ctx, all).transform(moved -> Future.failedFuture(new UndoHeld(why + "; "
                    + (moved.succeeded() ? "all traffic is on " + ctx.version() + " in " + ctx.newColour() + ", which is healthy"
                            : "moving all traffic to " + ctx.newColour() + " failed too: " + moved.cause().getMessage())
                    + ". Nothing before shift was undone, so " + ctx.newColour() + " keeps running. Bring "
                    + ctx.liveColour() + " back and run 'switchman rollback', or release again")));
        });
    }

    /**
     * When the analysis failed: the span from the first failing measurement to all traffic back on the live
     * colour (the router has just applied it), which users of the new version felt.
     */
    private static String sinceFirstFailure(ReleaseContext ctx) {
        Instant failed = ctx.firstFailingMeasurement();
        if (failed == null) {
            return "";
        }
        Instant back = ctx.clock.instant();
        ctx.progress.report(new ProgressEvent.TrafficBack(Duration.between(failed, back)));
        return "; first failing measurement at " + failed + ", all traffic back at " + back + ": "
                + Duration.between(failed, back).toMillis() + " ms";
    }

    /** Tells the router the target; once it took it, the weights are reported for the metrics. */
    private static Future<Void> setWeights(ReleaseContext ctx, TrafficTarget target) {
        return ctx.seams.router().setWeights(target).onSuccess(v -> ctx.progress.report(new ProgressEvent.TrafficSet(target)));
    }

    /** The target with the version each slot runs, which a router may show beside the colour (the builtin's metrics). */
    private static TrafficTarget versioned(ReleaseContext ctx, TrafficTarget target) {
        TrafficTarget withNew = target.withVersion(ctx.newColour(), ctx.version());
        // A first release has no live colour.
        return ctx.liveColour() == null ? withNew : withNew.withVersion(ctx.liveColour(), ctx.liveVersion());
    }

    private static List<Endpoint> liveEndpoints(ReleaseContext ctx) {
        if (ctx.liveSlot() == null) {
            throw new GateFailure("no slot record for the live slot " + ctx.liveColour());
        }
        return ctx.liveSlot().endpoints();
    }
}
