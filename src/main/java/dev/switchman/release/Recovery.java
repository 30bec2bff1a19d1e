package dev.switchman.release;

import dev.switchman.config.ConfigException;
import dev.switchman.model.ConflictException;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.Conflicts;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Future;

/**
 * {@code switchman rollback}: undoes an unfinished release from what the store kept, not from memory, so it
 * works after the coordinator was killed at any instant. It takes the application's lock itself, so it never
 * races a coordinator that is still alive. A release killed at or after contract cannot be undone: it is
 * finished instead.
 */
final class Recovery {
    private Recovery() {}

    /** @param movedChangelog where the release's changelog is now, when not where it was released from (or null) */
    static Future<Outcome> rollBack(ReleaseContext ctx, String movedChangelog) {
        ReleaseStore store = ctx.seams.store();
        return store.tryLock(ctx.application)
                .compose(locked -> locked ? store.unfinished(ctx.application)
                        : Future.failedFuture(new ConflictException("a running coordinator holds the release of "
                                + ctx.application + "; stop it (or let it finish), then run 'switchman rollback'")))
                .compose(unfinished -> {
                    if (unfinished.isEmpty()) {
                        return store.unlock(ctx.application).compose(v -> store.history(ctx.application, 1))
                                .compose(last -> Future.failedFuture(new ConfigException("no release of " + ctx.application
                                        + " to roll back" + last.stream().findFirst()
                                        .map(r -> " (the last one, #" + r.id() + " " + r.version() + ", is " + r.state() + ")")
                                        .orElse(""))));
                    }
                    return ctx.restore(unfinished.get(), movedChangelog);
                })
                .compose(record -> {
                    int reached = Release.indexOf(record.gate());
                    int contract = Release.indexOf("contract");
                    if (reached >= contract) {
                        // Past the point of no return nothing may be undone: finish the release instead. Contract and
                        // retire-live can run again (the migrator skips what ran; stopping a stopped slot succeeds).
                        ctx.note(null, "Release #" + record.id() + " reached " + record.gate() + ", past the point of no"
                                + " return (contract): finishing it instead of rolling back");
                        return new Release(ctx).resume(contract);
                    }
                    return new Release(ctx).rollBack(reached, record.gate(), reason(ctx, record));
                })
                .recover(e -> e instanceof ConflictException
                        ? Future.succeededFuture(Outcome.conflict(ctx.version(), e.getMessage())) : Future.failedFuture(e));
    }

    private static String reason(ReleaseContext ctx, ReleaseRecord record) {
        return record.state() == ReleaseState.RUNNING
                ? "manual rollback (" + Conflicts.describe(ctx.application, record).replaceFirst("; run .*$", "") + ")"
                : record.reason().replaceFirst("; rollback incomplete: .*$", "");
    }
}
