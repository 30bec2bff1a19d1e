package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** The live version is still healthy on the expanded schema: the proof that expand was backward compatible. */
public final class VerifyLiveGate implements Gate {

    @Override
    public String name() {
        return "verify-live";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        if (ctx.liveSlot() == null) {
            return Future.succeededFuture("nothing live yet");
        }
        return HealthGates.checkSlot(ctx, ctx.liveSlot(), ctx.liveVersion());
    }
}
