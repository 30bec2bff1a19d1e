package dev.switchman.gate;

import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/**
 * One step of a release. {@code run} either passes (with a line for the event log) or fails with the reason;
 * {@code undo} puts back what {@code run} changed and must be safe to call again, and after a partial run,
 * because a rollback may repeat it after the coordinator died (Orca's stages declare their failure stages the
 * same way, next to their tasks).
 */
public interface Gate {

    String name();

    Future<String> run(ReleaseContext ctx);

    default Future<String> undo(ReleaseContext ctx) {
        return Future.succeededFuture("nothing to undo");
    }

    /** Past this gate nothing is undone automatically: the release can only go forward. */
    default boolean pointOfNoReturn() {
        return false;
    }
}
