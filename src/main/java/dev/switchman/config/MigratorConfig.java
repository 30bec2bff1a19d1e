package dev.switchman.config;

import java.time.Duration;

/**
 * How migrations run. {@code undoExpand}: whether a failed release rolls the database back to the tag taken
 * before expand (only ever while no traffic has reached green). {@code lockTimeout}: how long one statement may
 * wait for a table lock (PostgreSQL's {@code lock_timeout}), so that a migration queued behind a long
 * transaction holds the live version's queries up for at most that long; {@code lockRetries}: how many more times
 * a phase that timed out on a lock is tried, with backoff, before the release fails.
 */
public record MigratorConfig(String type, Boolean undoExpand, Duration lockTimeout, Integer lockRetries) {
    public MigratorConfig {
        type = type == null ? "liquibase" : type;
        undoExpand = undoExpand == null ? Boolean.TRUE : undoExpand;
        lockTimeout = Durations.positive("migrator.lockTimeout", lockTimeout, Duration.ofSeconds(5));
        lockRetries = lockRetries == null ? 3 : lockRetries;
        if (lockRetries < 0 || lockRetries > 100) {
            throw new IllegalArgumentException("migrator.lockRetries must be between 0 and 100, got " + lockRetries);
        }
    }

    public static MigratorConfig defaults() {
        return new MigratorConfig(null, null, null, null);
    }
}
