package dev.switchman.gate;

import dev.switchman.migration.Migrator;
import dev.switchman.migration.Migrator.MigrationResult;
import dev.switchman.release.ProgressEvent;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** A migration step timed for the metrics: how long it took and whether it passed. */
final class MigrationTiming {
    private MigrationTiming() {}

    /** Runs {@code step} and reports how it went. */
    static Future<MigrationResult> timed(ReleaseContext ctx, Migrator.Step step, Supplier<Future<MigrationResult>> run) {
        Instant start = ctx.clock.instant();
        return run.get().andThen(ran -> ctx.progress.report(
                new ProgressEvent.Migrated(step, ran.succeeded(), Duration.between(start, ctx.clock.instant()))));
    }
}
