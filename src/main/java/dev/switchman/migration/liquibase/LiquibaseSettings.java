package dev.switchman.migration.liquibase;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.migration.SchemaChecks;
import java.time.Duration;

/**
 * {@code migrator} for {@code type: liquibase}. {@code undoExpand}: whether a failed release rolls the database
 * back to the tag taken before expand (only ever while no traffic has reached the new version). {@code lockTimeout}:
 * how long one statement may wait for a table lock (PostgreSQL's {@code lock_timeout}), so that a migration queued
 * behind a long transaction holds the live version's queries up for at most that long; {@code lockRetries}: how
 * many more times a phase that timed out on a lock is tried, with backoff, before the release fails. {@code verify}:
 * what must hold after expand and after contract.
 */
public record LiquibaseSettings(Boolean undoExpand, Duration lockTimeout, Integer lockRetries, SchemaChecks verify)
        implements KindSettings {

    public LiquibaseSettings(Boolean undoExpand, Duration lockTimeout, Integer lockRetries) {
        this(undoExpand, lockTimeout, lockRetries, null);
    }

    public LiquibaseSettings {
        verify = verify == null ? SchemaChecks.none() : verify;
        undoExpand = undoExpand == null ? Boolean.TRUE : undoExpand;
        lockTimeout = Durations.positive("migrator.lockTimeout", lockTimeout, Duration.ofSeconds(1));
        lockRetries = lockRetries == null ? 3 : lockRetries;
        if (lockRetries < 0 || lockRetries > 100) {
            throw new IllegalArgumentException("migrator.lockRetries must be between 0 and 100, got " + lockRetries);
        }
    }

    public static LiquibaseSettings defaults() {
        return new LiquibaseSettings(null, null, null, null);
    }
}
