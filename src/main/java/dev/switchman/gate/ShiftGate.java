package dev.switchman.gate;

import dev.switchman.config.StrategyConfig;
import dev.switchman.health.ErrorRateAnalysis;
import dev.switchman.model.Endpoint;
import dev.switchman.release.ReleaseContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import java.util.List;

/**
 * Moves traffic to the new colour in the strategy's steps, giving the router the absolute target each time,
 * verifying it, pausing, and judging the new colour by the router's counters. The store learns that traffic
 * may reach the new colour before the router does, so a crash at any instant leaves a rollback that knows it.
 * Undo: all traffic back to the live colour, then wait for the new colour's in-flight requests to finish.
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
        return ctx.seams.store().trafficShifted(ctx.record.id())
                .compose(v -> {
                    ctx.trafficShifted = true;
                    return step(ctx, steps, 0);
                })
                .map(v -> "100% to " + ctx.target + " in " + steps.size() + " step(s)");
    }

    private Future<Void> step(ReleaseContext ctx, List<StrategyConfig.Step> steps, int index) {
        if (index == steps.size()) {
            return Future.succeededFuture();
        }
        StrategyConfig.Step step = steps.get(index);
        Router router = ctx.seams.router();
        TrafficTarget target = ctx.firstRelease()
                ? TrafficTarget.all(ctx.target, ctx.newSlot.endpoints(), List.of())
                : TrafficTarget.split(ctx.live, liveEndpoints(ctx), ctx.newSlot.endpoints(), step.weight());
        return fenced(ctx).compose(v -> router.status()).compose(before -> router.setWeights(target)
                        .compose(v -> router.verify(target))
                        .compose(ok -> ok ? ctx.pause(step.pause())
                                : Future.failedFuture(new GateFailure("the router does not apply " + step.weight()
                                        + "% to " + ctx.target + " after being told to")))
                        .compose(v -> router.status())
                        .compose(after -> {
                            ErrorRateAnalysis.Result result = ErrorRateAnalysis.judge(before, after, ctx.target,
                                    ctx.strategy.maxErrorRate());
                            ctx.progress.line("       shift         " + step.weight() + "% to " + ctx.target + ": " + result.detail());
                            return result.passed() ? Future.<Void>succeededFuture()
                                    : Future.<Void>failedFuture(new GateFailure("analysis at " + step.weight() + "%: " + result.detail()));
                        }))
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
        List<Endpoint> newEndpoints = ctx.newSlot == null ? List.of() : ctx.newSlot.endpoints();
        TrafficTarget back;
        if (ctx.firstRelease()) {
            back = TrafficTarget.none();
        } else if (ctx.liveSlot == null) {
            return Future.failedFuture(new GateFailure("no slot record for the live colour " + ctx.live
                    + ": cannot send traffic back to it"));
        } else {
            back = TrafficTarget.all(ctx.live, ctx.liveSlot.endpoints(), newEndpoints);
        }
        return router.setWeights(back)
                .compose(v -> router.drain(ctx.target))
                .map(v -> ctx.firstRelease() ? "no traffic to " + ctx.target + " (nothing was live before)"
                        : "100% back to " + ctx.live + ", " + ctx.target + " drained");
    }

    private static List<Endpoint> liveEndpoints(ReleaseContext ctx) {
        if (ctx.liveSlot == null) {
            throw new GateFailure("no slot record for the live colour " + ctx.live);
        }
        return ctx.liveSlot.endpoints();
    }
}
