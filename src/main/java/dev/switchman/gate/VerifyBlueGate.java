package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** The live colour is still healthy on the expanded schema: the proof that expand was backward compatible. */
public final class VerifyBlueGate implements Gate {

    @Override
    public String name() {
        return "verify-blue";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        if (ctx.liveSlot == null) {
            return Future.succeededFuture("nothing live yet");
        }
        return HealthGates.checkSlot(ctx, ctx.liveSlot, ctx.liveVersion);
    }
}
