package dev.switchman.gate;

import dev.switchman.model.ConflictException;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.ProgressEvent;
import dev.switchman.release.ReleaseContext;
import dev.switchman.store.Conflicts;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * One release per application at a time: the application's advisory lock (held by this coordinator's database
 * session, so it dies with it) and then the release row, which a unique index allows once per application
 * while unfinished. A release interrupted earlier holds the application until it is rolled back. The lock is
 * released when the release ends, however it ends.
 */
public final class LockGate implements Gate {

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        ReleaseStore store = ctx.seams.store();
        return store.tryLock(ctx.application)
                .compose(locked -> locked ? store.unfinished(ctx.application)
                        : Future.failedFuture(new ConflictException("another release of " + ctx.application
                                + " is in progress (a running coordinator holds its lock); wait for it to end")))
                .compose(unfinished -> unfinished.isPresent()
                        ? interrupted(ctx, unfinished.get())
                        : store.live(ctx.application))
                .compose(live -> {
                    Future<Optional<SlotRecord>> liveSlot = live.isEmpty() ? Future.succeededFuture(Optional.empty())
                            : store.slot(ctx.application, live.get().colour());
                    return liveSlot.compose(slot -> ctx.begin(live, slot));
                })
                .map(record -> "release #" + record.id() + ": " + (ctx.firstRelease()
                        ? "first release, " + ctx.version() + " goes into " + ctx.newColour()
                        : ctx.liveVersion() + " is live in " + ctx.liveColour() + ", " + ctx.version() + " goes into "
                                + ctx.newColour()));
    }

    /** This release holds the lock, so the unfinished one has no coordinator: it waits for a person. */
    private static <T> Future<T> interrupted(ReleaseContext ctx, ReleaseRecord unfinished) {
        ctx.progress.report(new ProgressEvent.LeftForAPerson(unfinished.id()));
        return Future.failedFuture(new ConflictException(Conflicts.describe(ctx.application, unfinished)));
    }
}
