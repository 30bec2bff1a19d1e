package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Drains the old colour (it already has no weight) and stops it. */
public final class RetireBlueGate implements Gate {

    @Override
    public String name() {
        return "retire-blue";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        if (ctx.liveSlot == null) {
            return Future.succeededFuture("nothing to retire");
        }
        return ctx.seams.router().drain(ctx.live)
                .compose(v -> ctx.seams.platform().stop(ctx.liveSlot))
                .compose(v -> ctx.seams.store().deleteSlot(ctx.application, ctx.live))
                .map(v -> ctx.live + " (" + ctx.liveVersion + ") drained and stopped");
    }
}
