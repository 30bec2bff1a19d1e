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
public final class Recovery {
    private Recovery() {}

    /** @param changelog where the release's changelog is now, when not at the path it was released from (or null) */
    public static Future<Outcome> rollBack(ReleaseContext ctx, String changelog) {
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
                    return restore(ctx, unfinished.get()).map(record -> {
                        if (changelog != null) {
                            ctx.changelog = changelog;
                        }
                        return record;
                    });
                })
                .compose(record -> {
                    int reached = Release.indexOf(record.gate());
                    int contract = Release.indexOf("contract");
                    if (reached >= contract) {
                        // Past the point of no return nothing may be undone: finish the release instead. Contract and
                        // retire-blue can run again (Liquibase skips what ran; stopping a stopped slot succeeds).
                        ctx.progress.line("Release #" + record.id() + " reached " + record.gate() + ", past the point of no"
                                + " return (contract): finishing it instead of rolling back");
                        return new Release(ctx).resume(contract);
                    }
                    String reason = record.state() == ReleaseState.RUNNING
                            ? "manual rollback (" + Conflicts.describe(ctx.application, record).replaceFirst("; run .*$", "") + ")"
                            : record.reason().replaceFirst("; rollback incomplete: .*$", "");
                    return new Release(ctx).rollBack(reached, record.gate(), reason);
                })
                .recover(e -> e instanceof ConflictException
                        ? Future.succeededFuture(Outcome.conflict(e.getMessage())) : Future.failedFuture(e));
    }

    private static Future<ReleaseRecord> restore(ReleaseContext ctx, ReleaseRecord record) {
        ctx.record = record;
        ctx.version = record.version();
        ctx.changelog = record.changelog();
        ctx.live = record.fromColour();
        ctx.liveVersion = record.fromVersion();
        ctx.target = record.toColour();
        ctx.schemaTag = record.schemaTag();
        ctx.trafficShifted = record.trafficShifted();
        Future<Void> liveSlot = ctx.live == null ? Future.succeededFuture()
                : ctx.seams.store().slot(ctx.application, ctx.live).map(s -> {
                    ctx.liveSlot = s.orElse(null);
                    return null;
                });
        return liveSlot.compose(v -> ctx.seams.store().slot(ctx.application, ctx.target)).map(s -> {
            ctx.newSlot = s.orElse(null);
            return record;
        });
    }
}
