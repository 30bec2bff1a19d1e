package dev.switchman.gate;

import dev.switchman.migration.Migrator;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/**
 * Names the schema as it is (a tag, or the tool's revision), then applies the backward-compatible changes. The
 * name is written to the store first, so a rollback after a crash knows where to go back to. Then
 * {@code migrator.verify.expand}, if set, must hold: when it does not, expand is undone with the rest. Undone (back to the tag) only while no traffic reached the
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
        Migrator migrator = ctx.seams.migrator();
        return migrator.schemaBefore(ctx.changes(), tag)
                .compose(before -> ctx.schemaTagged(before).map(before))
                .compose(before -> MigrationTiming.timed(ctx, Migrator.Step.EXPAND, () -> migrator.expand(ctx.changes(), before)))
                .compose(done -> migrator.verify(ctx.changes(), Migrator.Phase.EXPAND)
                        .map(checked -> checked == null ? done.detail() : done.detail() + "; " + checked));
    }

    @Override
    public Future<String> undo(ReleaseContext ctx) {
        if (ctx.schemaTag() == null) {
            return Future.succeededFuture("expand never started");
        }
        if (!ctx.seams.migrator().mayUndoExpand()) {
            return Future.succeededFuture("kept: " + ctx.seams.migrator().whyExpandStays());
        }
        if (ctx.trafficShifted()) {
            return Future.succeededFuture("kept: traffic reached " + ctx.version() + " in " + ctx.newColour()
                    + ", so the expanded schema stays (it is backward compatible)");
        }
        return MigrationTiming.timed(ctx, Migrator.Step.UNDO_EXPAND, () -> ctx.seams.migrator().undoExpand(ctx.changes(), ctx.schemaTag()))
                .map(Migrator.MigrationResult::detail);
    }
}
