package dev.switchman.gate;

import dev.switchman.config.StrategyConfig;
import dev.switchman.health.Measurement;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Waits for a person's {@code switchman promote} while the analysis keeps judging. */
final class Approvals {
    private Approvals() {}

    static Future<Measurement> await(ReleaseContext ctx, String gate, StrategyConfig.Approval approval, String what) {
        return Future.succeededFuture(new Measurement(ctx.clock.instant(), Measurement.Phase.FAILURE,
                "approval " + what + " is not supported yet"));
    }
}
