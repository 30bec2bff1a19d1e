package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.config.StrategyConfig;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.release.ReleaseContext;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits for a person's {@code switchman promote} while the analysis keeps judging. The wait is recorded on the
 * release's row, so the promote (another process) can approve exactly this wait; the row is read every
 * {@code analysis.interval}. A request to stop (a signal, {@code switchman abort}) ends the wait at once.
 */
final class Approvals {
    private Approvals() {}

    /** @param what the wait, as people read it after "promote": "before contract" */
    static Future<Measurement> await(ReleaseContext ctx, String gate, StrategyConfig.Approval approval, String what) {
        ReleaseStore store = ctx.seams.store();
        long id = ctx.record().id();
        String awaiting = "promote " + what;
        return store.awaitPromote(id, awaiting).compose(before -> {
            Duration deadline = approval.deadline();
            ctx.note(gate, "waiting for a promote " + what + (deadline == null ? "" : " (within " + Durations.format(deadline) + ")")
                    + ": 'switchman promote --config " + ctx.config.file() + "' continues, 'switchman abort --config "
                    + ctx.config.file() + "' rolls back");
            Wait wait = new Wait(ctx, store, id, awaiting, before, deadline == null ? null : ctx.clock.instant().plus(deadline), deadline);
            long timer = ctx.vertx.setPeriodic(ctx.strategy.analysis().interval().toMillis(), t -> wait.poll());
            return Analysis.until(ctx, gate, ctx.unlessStopped(wait.decided.future()))
                    .eventually(() -> {
                        ctx.vertx.cancelTimer(timer);
                        return store.clearAwaiting(id, awaiting);
                    });
        });
    }

    /** One wait's polling of the store: a promote counted after {@code before}, or the deadline. */
    private static final class Wait {
        final Promise<Measurement> decided = Promise.promise();
        private final ReleaseContext ctx;
        private final ReleaseStore store;
        private final long id;
        private final String awaiting;
        private final int before;
        private final Instant due;
        private final Duration deadline;
        private boolean polling;

        Wait(ReleaseContext ctx, ReleaseStore store, long id, String awaiting, int before, Instant due, Duration deadline) {
            this.ctx = ctx;
            this.store = store;
            this.id = id;
            this.awaiting = awaiting;
            this.before = before;
            this.due = due;
            this.deadline = deadline;
        }

        void poll() {
            if (polling || decided.future().isComplete()) {
                return;
            }
            polling = true;
            boolean late = due != null && !ctx.clock.instant().isBefore(due);
            // At the deadline the wait is cleared first: a promote after that finds nothing to approve (and says so),
            // and one that came just before it still counts.
            Future<Void> closed = late ? store.clearAwaiting(id, awaiting) : Future.succeededFuture();
            closed.compose(v -> store.decision(id)).onComplete(read -> {
                polling = false;
                boolean promoted = read.succeeded() && read.result().map(d -> d.approvals() > before).orElse(false);
                if (promoted) {
                    decided.tryComplete(new Measurement(ctx.clock.instant(), Phase.SUCCESS, "promoted"));
                } else if (late && read.succeeded()) {
                    decided.tryComplete(new Measurement(ctx.clock.instant(), Phase.FAILURE,
                            "no promote within " + Durations.format(deadline)));
                }
                // A failed read is tried again at the next poll; the deadline still holds.
            });
        }
    }
}
