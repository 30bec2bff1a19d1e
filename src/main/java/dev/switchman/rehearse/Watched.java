package dev.switchman.rehearse;

import dev.switchman.db.DatabaseInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One migration step run under watch, as it went: the migrator's line or its failure, how long the migrator took,
 * and the database before and after (schema, history table) with what was seen in between. The watch itself
 * failing (the throwaway database) fails the future; the step failing does not.
 */
record Watched(String detail, Throwable failure, long durationMs, SchemaSnapshot schemaBefore, SchemaSnapshot schemaAfter,
               Ledger ledgerBefore, Ledger ledgerAfter, Observation observation) {

    private record Before(Relations relations, SchemaSnapshot schema, Ledger ledger, long mark) {}

    /**
     * Reads the database, starts the sampler, runs {@code work}, stops the sampler and reads the database again,
     * with what the DDL trigger wrote meanwhile.
     */
    static Future<Watched> watch(Vertx vertx, DatabaseInfo db, Supplier<Future<String>> work) {
        return blocking(vertx, () -> {
            try (Connection c = db.open()) {
                return new Before(Relations.read(c), SchemaSnapshot.read(c), Ledger.read(c), StatementLocks.mark(c));
            }
        }).compose(before -> blocking(vertx, () -> LockSampler.start(db, Rehearsal.SAMPLE_INTERVAL)).compose(sampler -> {
            long t0 = System.nanoTime();
            return Future.<Void>succeededFuture().compose(v -> work.get()).transform(outcome -> blocking(vertx, () -> {
                long millis = (System.nanoTime() - t0) / 1_000_000;
                try (sampler; Connection c = db.open()) {
                    List<LockSampler.Sighting> sampled = sampler.stop();
                    Relations after = Relations.read(c);
                    Observation seen = Observation.of(sampled, StatementLocks.since(c, before.mark()), before.relations(),
                            after, sampler.samples(), sampler.meanIntervalMillis());
                    return new Watched(outcome.succeeded() ? outcome.result() : null, outcome.failed() ? outcome.cause() : null,
                            millis, before.schema(), SchemaSnapshot.read(c), before.ledger(), Ledger.read(c), seen);
                }
            }));
        }));
    }

    /** The same, with what came after the watched work (a verify check): its line or its failure, and its time. */
    Watched then(String line, Throwable failed, long millis) {
        return new Watched(failed != null ? null : line == null ? detail : detail + "; " + line, failed, durationMs + millis,
                schemaBefore, schemaAfter, ledgerBefore, ledgerAfter, observation);
    }

    private static <T> Future<T> blocking(Vertx vertx, Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
