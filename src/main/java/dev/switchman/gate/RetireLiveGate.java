package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Drains the old live slot (it already has no weight) and stops it. */
public final class RetireLiveGate implements Gate {

    @Override
    public String name() {
        return "retire-live";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        if (ctx.liveSlot() == null) {
            return Future.succeededFuture("nothing to retire");
        }
        String retired = ctx.liveVersion() + " in " + ctx.liveColour();
        return ctx.seams.router().drain(ctx.liveColour())
                .compose(v -> ctx.seams.platform().stop(ctx.liveSlot()))
                .compose(v -> ctx.liveSlotRetired())
                .map(v -> retired + " drained and stopped");
    }
}
