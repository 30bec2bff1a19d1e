package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Health checks on the new version's slot until the required consecutive successes, or the deadline. */
public final class CheckNewGate implements Gate {

    @Override
    public String name() {
        return "check-new";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        return HealthGates.checkSlot(ctx, ctx.newSlot(), ctx.version());
    }
}
