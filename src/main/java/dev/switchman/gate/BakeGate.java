package dev.switchman.gate;

import dev.switchman.health.ErrorRateAnalysis;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Watches the new colour serving all traffic for the strategy's bake time, judged by the router's counters. */
public final class BakeGate implements Gate {

    @Override
    public String name() {
        return "bake";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        return ctx.seams.router().status().compose(before -> ctx.pause(ctx.strategy.bake())
                .compose(v -> ctx.seams.router().status())
                .compose(after -> {
                    ErrorRateAnalysis.Result result = ErrorRateAnalysis.judge(before, after, ctx.target, ctx.strategy.maxErrorRate());
                    return result.passed() ? Future.succeededFuture("baked " + ctx.strategy.bake().toMillis() + " ms; " + result.detail())
                            : Future.failedFuture(new GateFailure("during bake, " + result.detail()));
                }));
    }
}
