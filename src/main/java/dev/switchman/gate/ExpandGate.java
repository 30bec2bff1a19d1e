package dev.switchman.gate;

import dev.switchman.migration.Migrator;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/**
 * Tags the database, then applies the backward-compatible changes. The tag is written to the store first, so a
 * rollback after a crash knows where to go back to. Undone (back to the tag) only while no traffic reached the
 * new version and the migrator allows it: once the new version has served users, their writes may depend on the
 * new schema.
 */
public final class ExpandGate implements Gate {

    @Override
    public String name() {
        return "expand";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        String tag = "switchman-" + ctx.application + "-" + ctx.record().id();
        return ctx.schemaTagged(tag)
                .compose(v -> ctx.seams.migrator().expand(ctx.changelog(), tag))
                .map(Migrator.MigrationResult::detail);
    }

    @Override
    public Future<String> undo(ReleaseContext ctx) {
        if (ctx.schemaTag() == null) {
            return Future.succeededFuture("expand never started");
        }
        if (!ctx.seams.migrator().mayUndoExpand()) {
            return Future.succeededFuture("kept: migrator.undoExpand is false");
        }
        if (ctx.trafficShifted()) {
            return Future.succeededFuture("kept: traffic reached " + ctx.version() + " in " + ctx.newColour()
                    + ", so the expanded schema stays (it is backward compatible)");
        }
        return ctx.seams.migrator().undoExpand(ctx.changelog(), ctx.schemaTag()).map(Migrator.MigrationResult::detail);
    }
}
