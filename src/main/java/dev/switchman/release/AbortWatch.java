package dev.switchman.release;

import io.vertx.core.Future;

/**
 * While a release runs, reads its row every second for {@code switchman abort}'s request (another process) and asks
 * the release to stop through {@link Abort}, the same path as a signal: before contract it rolls back from wherever
 * it is (a long expand, a health check, a wait), past contract it finishes.
 */
final class AbortWatch {
    /** Often enough for a person waiting on {@code abort}, cheap for the store: one indexed read. */
    static final long EVERY_MS = 1000;

    private AbortWatch() {}

    /** {@code running}'s outcome, with the row watched from the moment it exists until the release ends. */
    static Future<Outcome> during(ReleaseContext ctx, Abort abort, Future<Outcome> running) {
        boolean[] reading = {false};
        long timer = ctx.vertx.setPeriodic(EVERY_MS, t -> {
            var record = ctx.record();
            if (record == null || reading[0] || abort.reason().isPresent()) {
                return;
            }
            reading[0] = true;
            ctx.seams.store().decision(record.id()).onComplete(read -> {
                reading[0] = false;
                String asked = read.succeeded() ? read.result().map(d -> d.abortRequested()).orElse(null) : null;
                if (asked != null && abort.request(asked)) {
                    ctx.note(null, "Asked to stop: " + asked);
                }
            });
        });
        return running.onComplete(done -> ctx.vertx.cancelTimer(timer));
    }
}
