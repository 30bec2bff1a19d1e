package dev.switchman.gate;

import dev.switchman.health.Measurement;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/**
 * Watches the new version serving all traffic for the strategy's bake time, judged by its metrics; then, when the
 * strategy has {@code approveContract}, waits (still judging) for a person's promote before contract.
 */
public final class BakeGate implements Gate {

    @Override
    public String name() {
        return "bake";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        return Analysis.over(ctx, name(), ctx.strategy.bake()).compose(judged -> judged.ok()
                ? approved(ctx).map(promoted -> "baked " + ctx.strategy.bake().toMillis() + " ms; " + judged.detail() + promoted)
                : Future.failedFuture(new GateFailure("during bake, " + judged.detail())));
    }

    /** The promote before contract, when the strategy asks for one: "" when it does not. */
    private Future<String> approved(ReleaseContext ctx) {
        if (ctx.strategy.approveContract() == null) {
            return Future.succeededFuture("");
        }
        return Approvals.await(ctx, name(), ctx.strategy.approveContract(), "before contract").compose((Measurement m) -> m.ok()
                ? Future.succeededFuture("; " + m.detail() + " before contract")
                : Future.failedFuture(new GateFailure("waiting for a promote before contract: " + m.detail())));
    }
}
