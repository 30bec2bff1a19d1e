package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Watches the new version serving all traffic for the strategy's bake time, judged by its metrics. */
public final class BakeGate implements Gate {

    @Override
    public String name() {
        return "bake";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        return Analysis.over(ctx, name(), ctx.strategy.bake()).compose(judged -> judged.ok()
                ? Future.succeededFuture("baked " + ctx.strategy.bake().toMillis() + " ms; " + judged.detail())
                : Future.failedFuture(new GateFailure("during bake, " + judged.detail())));
    }
}
