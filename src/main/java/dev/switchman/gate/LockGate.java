package dev.switchman.gate;

import dev.switchman.model.Colour;
import dev.switchman.model.ConflictException;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.ReleaseContext;
import dev.switchman.store.Conflicts;
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
                .compose(unfinished -> {
                    if (unfinished.isPresent()) {
                        return Future.failedFuture(new ConflictException(Conflicts.describe(ctx.application, unfinished.get())));
                    }
                    return store.live(ctx.application);
                })
                .compose(live -> {
                    ctx.live = live.map(l -> l.colour()).orElse(null);
                    ctx.liveVersion = live.map(l -> l.version()).orElse(null);
                    ctx.target = ctx.live == null ? Colour.BLUE : ctx.live.other();
                    return ctx.live == null ? Future.succeededFuture(Optional.<SlotRecord>empty())
                            : store.slot(ctx.application, ctx.live);
                })
                .compose(liveSlot -> {
                    ctx.liveSlot = liveSlot.orElse(null);
                    return store.begin(ctx.application, ctx.version, ctx.live, ctx.liveVersion, ctx.target, ctx.changelog);
                })
                .map(record -> {
                    ctx.record = record;
                    return "release #" + record.id() + ": " + (ctx.live == null
                            ? "first release, into " + ctx.target
                            : ctx.live + " (" + ctx.liveVersion + ") is live, " + ctx.version + " goes into " + ctx.target);
                });
    }
}
