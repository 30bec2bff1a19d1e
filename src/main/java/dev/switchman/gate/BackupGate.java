package dev.switchman.gate;

import dev.switchman.backup.Backup;
import dev.switchman.release.Cancelled;
import dev.switchman.release.ReleaseContext;
import dev.switchman.store.ReleaseRecord;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The backup before expand, when the config has a {@code backup} section: its command runs to its end (bounded by
 * {@code backup.timeout}), then where the backup is, its size and how long it took are recorded on the release. A
 * failure fails the release before anything was applied. A request to stop stops the command at once: it changes
 * nothing but its own file. Undone by nothing: the backup is kept.
 */
public final class BackupGate implements Gate {

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        Optional<Backup> backup = ctx.seams.backup();
        if (backup.isEmpty()) {
            return Future.succeededFuture("no backup configured");
        }
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Future<Backup.Result> running = backup.get().run(ctx.record().id(), ctx.version(), stop);
        return ctx.unlessStopped(running)
                .recover(e -> {
                    if (!(e instanceof Cancelled)) {
                        return Future.failedFuture(e);
                    }
                    // Asked to stop: the command is stopped, then the release rolls back with the reason it was given.
                    stop.complete(null);
                    return running.transform(ended -> Future.failedFuture(e));
                })
                .compose(result -> {
                    ReleaseRecord.Backup taken = new ReleaseRecord.Backup(result.location().toString(), result.bytes(),
                            result.millis());
                    return ctx.backedUp(taken).map("backup: " + taken.describe());
                });
    }

    @Override
    public Future<String> undo(ReleaseContext ctx) {
        return Future.succeededFuture(ctx.backup() == null ? "nothing to undo"
                : "nothing to undo: the backup is kept (" + ctx.backup().location() + ")");
    }
}
