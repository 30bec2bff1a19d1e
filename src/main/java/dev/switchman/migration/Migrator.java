package dev.switchman.migration;

import dev.switchman.db.DatabaseInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * Expand and contract migrations, as one tool does them (Liquibase in process, any tool through commands). The
 * release calls {@link #schemaBefore} and {@link #expand} before the new version takes traffic, {@link #contract}
 * once the old one is out of it, and {@link #undoExpand} when a release fails before traffic reached the new
 * version.
 */
public interface Migrator {

    /** The changes of one version: which version, and where they are (a changelog's path; null if not set). */
    record Changes(String version, String changelog) {}

    /**
     * Parses the changes and checks they can run (e.g. every change is marked expand or contract, the tool's
     * programs exist). Changes nothing the application sees; a refused set writes nothing at all, a valid one may
     * leave the tool's own history table created (Liquibase creates it to list what has not run yet).
     */
    Future<Void> check(Changes changes);

    /**
     * The name of the schema as it is now, which {@link #undoExpand} can go back to, recorded on the release before
     * expand: {@code proposed} for a tool that tags the schema itself during expand (Liquibase), or the revision a
     * tool reports (a {@code migrator.current} command).
     */
    Future<String> schemaBefore(Changes changes, String proposed);

    /** Applies the expand changes; {@code tag} is what {@link #schemaBefore} returned. */
    Future<MigrationResult> expand(Changes changes, String tag);

    /** Brings the database back to {@code tag}: undoes the expand changes applied after it. */
    Future<MigrationResult> undoExpand(Changes changes, String tag);

    /**
     * Whether a failed release may bring the schema back to the tag taken before expand (never once traffic has
     * reached the new version).
     */
    default boolean mayUndoExpand() {
        return true;
    }

    /** Why {@link #mayUndoExpand} is false, in the words of the config, for the release's summary. */
    default String whyExpandStays() {
        return "migrator.undoExpand is false";
    }

    /**
     * Checks what must hold after {@code phase} ({@code migrator.verify}): completes with a line for the gate's
     * detail, or null when nothing is to be checked; fails when the check does not hold.
     */
    default Future<String> verify(Changes changes, Phase phase) {
        return Future.succeededFuture(null);
    }

    /** Applies the contract changes. The release's point of no return. */
    Future<MigrationResult> contract(Changes changes);

    /**
     * Each change of {@code changes} as it would run, for the lint, without running anything: all of them, or only
     * those the database has not applied yet ({@code pendingOnly}, which needs the database).
     */
    Future<List<PlannedChange>> planned(Changes changes, boolean pendingOnly);

    /** Whether {@link #planned} can tell the SQL at all (a tool run through commands needs its plan commands). */
    default boolean canPlan() {
        return true;
    }

    /**
     * Whether {@link #replayHistory} can tell what another database has applied (the kind keeps its history in a
     * table it reads); otherwise a rehearsal starts from an empty database or a schema dump.
     */
    default boolean canReplayHistory() {
        return false;
    }

    /**
     * For a rehearsal on a throwaway database: brings this migrator's database to the history {@code source} has
     * applied, with read-only queries on {@code source}. The changes {@code source} applied are run here, in their
     * order, or, when {@code schemaLoaded} (the schema came from a dump), only recorded as applied; those this
     * database has recorded already are left alone.
     */
    default Future<MigrationResult> replayHistory(Changes changes, DatabaseInfo source, boolean schemaLoaded) {
        return Future.failedFuture(new UnsupportedOperationException("this migrator cannot read another database's history"));
    }

    /** The SQL a phase would run, without running it. */
    Future<String> plan(Changes changes, Phase phase);

    enum Phase { EXPAND, CONTRACT }

    /** A step that changes the schema, named as the metrics' {@code phase} label names it. */
    enum Step {
        EXPAND("expand"), UNDO_EXPAND("undo_expand"), CONTRACT("contract");

        public final String label;

        Step(String label) {
            this.label = label;
        }

        /** The gate that runs it (the undo of expand is expand's undo). */
        public String gate() {
            return this == CONTRACT ? "contract" : "expand";
        }
    }

    /** Hears of each time a step is run again because a statement waited longer than {@code migrator.lockTimeout}. */
    @FunctionalInterface
    interface LockRetries {
        /** Called on the worker thread that runs the step. */
        void retried(Step step);
    }

    /**
     * Tells {@code listener} of every lock-timeout retry from now on (the last listener set). A kind that never runs
     * a step again has nothing to tell.
     */
    default void onLockRetry(LockRetries listener) {}

    /** What a migration step did, for the event log and the summary; {@code changes} is -1 when the tool does not say. */
    record MigrationResult(int changes, String detail) {
        public static MigrationResult uncounted(String detail) {
            return new MigrationResult(-1, detail);
        }
    }
}
