package dev.switchman.gate;

import dev.switchman.config.StrategyConfig;
import dev.switchman.model.Endpoint;
import dev.switchman.release.ReleaseContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Moves traffic to the new version's slot in the strategy's steps, giving the router the absolute target each
 * time, verifying it, and judging the new version over the step's pause. The store learns that traffic may reach
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
        // With nothing live there is nothing to split with: a first release goes straight to the last step.
        List<StrategyConfig.Step> steps = ctx.firstRelease() ? List.of(ctx.strategy.steps().getLast()) : ctx.strategy.steps();
        return ctx.trafficShifting()
                .compose(v -> step(ctx, steps, 0))
                .map(v -> "100% to " + ctx.version() + " in " + ctx.newColour() + " in " + steps.size() + " step(s)");
    }

    private Future<Void> step(ReleaseContext ctx, List<StrategyConfig.Step> steps, int index) {
        if (index == steps.size()) {
            return Future.succeededFuture();
        }
        StrategyConfig.Step step = steps.get(index);
        Router router = ctx.seams.router();
        TrafficTarget target = ctx.firstRelease()
                ? TrafficTarget.all(ctx.newColour(), ctx.newSlot().endpoints(), List.of())
                : TrafficTarget.split(ctx.liveColour(), liveEndpoints(ctx), ctx.newSlot().endpoints(), step.weight());
        String share = step.weight() + "% to " + ctx.version() + " in " + ctx.newColour();
        return fenced(ctx)
                .compose(v -> router.setWeights(target))
                .compose(v -> router.verify(target))
                .compose(ok -> ok ? Analysis.over(ctx, name(), step.pause())
                        : Future.failedFuture(new GateFailure("the router does not apply " + share + " after being told to")))
                .compose(judged -> {
                    ctx.note(name(), share + ": " + judged.detail());
                    return judged.ok() ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture(new GateFailure("analysis at " + share + ": " + judged.detail()));
                })
                .compose(v -> step(ctx, steps, index + 1));
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
        TrafficTarget back;
        if (ctx.firstRelease()) {
            back = TrafficTarget.none();
        } else if (ctx.liveSlot() == null) {
            return Future.failedFuture(new GateFailure("no slot record for the live slot " + ctx.liveColour()
                    + ": cannot send traffic back to it"));
        } else {
            back = TrafficTarget.all(ctx.liveColour(), ctx.liveSlot().endpoints(), newEndpoints);
        }
        return router.setWeights(back)
                .map(v -> sinceFirstFailure(ctx))
                .compose(span -> router.drain(ctx.newColour()).map(span))
                .map(span -> (ctx.firstRelease() ? "no traffic to " + ctx.newColour() + " (nothing was live before)"
                        : "100% back to " + ctx.liveVersion() + " in " + ctx.liveColour() + ", " + ctx.newColour() + " drained")
                        + span);
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
        return "; first failing measurement at " + failed + ", all traffic back at " + back + ": "
                + Duration.between(failed, back).toMillis() + " ms";
    }

    private static List<Endpoint> liveEndpoints(ReleaseContext ctx) {
        if (ctx.liveSlot() == null) {
            throw new GateFailure("no slot record for the live slot " + ctx.liveColour());
        }
        return ctx.liveSlot().endpoints();
    }
}
