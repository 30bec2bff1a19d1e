package dev.switchman.migration;

import io.vertx.core.Future;

/**
 * Runs an application's schema changes in the two phases of a zero-downtime release: expand (backward
 * compatible, before the new version takes traffic) and contract (once the old version is out of traffic). Each
 * release names its own changelog, since each version of an application ships its own.
 */
public interface Migrator {

    /**
     * Parses the changelog and checks it can run (e.g. every change is marked expand or contract). Changes nothing
     * the application sees; a refused changelog writes nothing at all, a valid one may leave the tool's own history
     * table created (Liquibase creates it to list what has not run yet).
     */
    Future<Void> check(String changelog);

    /** Tags the database with {@code tag}, then applies the expand changes. */
    Future<MigrationResult> expand(String changelog, String tag);

    /** Brings the database back to {@code tag}: undoes the expand changes applied after it. */
    Future<MigrationResult> undoExpand(String changelog, String tag);

    /**
     * Whether a failed release may bring the schema back to the tag taken before expand (never once traffic has
     * reached the new version): {@code migrator.undoExpand}.
     */
    default boolean mayUndoExpand() {
        return true;
    }

    /** Applies the contract changes. The release's point of no return. */
    Future<MigrationResult> contract(String changelog);

    /** The SQL a phase would run, without running it. */
    Future<String> plan(String changelog, Phase phase);

    enum Phase { EXPAND, CONTRACT }

    /** What a migration step did, for the event log and the summary. */
    record MigrationResult(int changes, String detail) {}
}
