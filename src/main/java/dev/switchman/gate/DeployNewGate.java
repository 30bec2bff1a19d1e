package dev.switchman.gate;

import dev.switchman.model.SlotRecord;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.util.Optional;

/** The platform starts the new version in the slot that is not live; its record goes to the store at once. */
public final class DeployNewGate implements Gate {

    @Override
    public String name() {
        return "deploy-new";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        // A slot left in the new version's colour (a crash before its record was cleared) is not serving: stop it first.
        return stopRecorded(ctx)
                .compose(v -> ctx.seams.platform().deploy(ctx.newColour(), ctx.version()))
                .compose(slot -> ctx.newSlotStarted(slot).map(v -> ctx.version() + " deployed into " + ctx.newColour()
                        + ": " + slot.endpoints() + ", handle " + slot.handle() + ", log " + slot.logFile()));
    }

    @Override
    public Future<String> undo(ReleaseContext ctx) {
        return noTrafficTo(ctx)
                .compose(v -> stopRecorded(ctx))
                .map(stopped -> stopped ? ctx.version() + " in " + ctx.newColour() + " stopped"
                        : "nothing was running in " + ctx.newColour());
    }

    /** Never stop a slot that may still have traffic: when taking the traffic back failed, it keeps serving. */
    private static Future<Void> noTrafficTo(ReleaseContext ctx) {
        if (!ctx.trafficShifted()) {
            return Future.succeededFuture();
        }
        return ctx.seams.router().status().compose(status -> {
            int weight = status.target() == null ? 0 : status.target().weight(ctx.newColour());
            return weight == 0 ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(new GateFailure(ctx.newColour()
                    + " still has " + weight + "% of the traffic, so it keeps running: send the traffic back to "
                    + ctx.liveColour() + ", then run 'switchman rollback'"));
        });
    }

    private static Future<Boolean> stopRecorded(ReleaseContext ctx) {
        // The store's record, else what the platform noted when it started the slot (a coordinator killed while
        // the slot was starting never wrote the record).
        Future<Optional<SlotRecord>> recorded = ctx.newSlot() != null
                ? Future.succeededFuture(Optional.of(ctx.newSlot()))
                : ctx.seams.store().slot(ctx.application, ctx.newColour())
                        .compose(slot -> slot.isPresent() ? Future.succeededFuture(slot) : ctx.seams.platform().started(ctx.newColour()));
        return recorded.compose(slot -> {
            if (slot.isEmpty()) {
                return Future.succeededFuture(false);
            }
            return ctx.seams.platform().stop(slot.get())
                    .compose(v -> ctx.newSlotStopped())
                    .map(v -> true);
        });
    }
}
