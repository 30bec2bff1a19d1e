package dev.switchman.migration.liquibase;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.db.LiquibaseRunner;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.PlannedChange;
import dev.switchman.migration.SchemaVerifier;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.exception.LiquibaseException;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

/**
 * Expand and contract with Liquibase, in process. Changesets are labelled {@code expand} or {@code contract} and
 * selected with {@code @expand}/{@code @contract}: a changeset with no label would match every plain label
 * filter, so {@link #check} rejects it. Each call opens its own connection on a worker thread.
 */
public final class LiquibaseMigrator implements Migrator {
    static final String EXPAND = "expand";
    static final String CONTRACT = "contract";

    private final Vertx vertx;
    private final DatabaseInfo database;
    private final LiquibaseSettings config;
    private final boolean undoExpand;
    private final SchemaVerifier verifier;
    private volatile LockRetries lockRetries = step -> { };

    /** Without {@code migrator.verify}'s checks. */
    public LiquibaseMigrator(Vertx vertx, DatabaseInfo database, LiquibaseSettings config) {
        this(vertx, database, config, null);
    }

    /** @param verifier runs {@code config.verify()}'s checks; null when there are none */
    public LiquibaseMigrator(Vertx vertx, DatabaseInfo database, LiquibaseSettings config, SchemaVerifier verifier) {
        this.vertx = vertx;
        this.database = database;
        this.config = config;
        this.undoExpand = config.undoExpand();
        this.verifier = verifier;
    }

    @Override
    public Future<String> verify(Changes changes, Phase phase) {
        return verifier == null ? Future.succeededFuture(null) : verifier.after(changes, phase);
    }

    @Override
    public boolean mayUndoExpand() {
        return undoExpand;
    }

    @Override
    public Future<Void> check(Changes changes) {
        String changelog = changes.changelog();
        if (changelog == null) {
            return Future.failedFuture(new ConfigException("no changelog for version " + changes.version()
                    + ": set 'changelog' in the config (e.g. db/{version}/changelog.xml) or pass --changelog"));
        }
        return blocking(changelog, liquibase -> {
            List<String> problems = new ArrayList<>();
            for (ChangeSet changeSet : liquibase.getDatabaseChangeLog().getChangeSets()) {
                Set<String> labels = changeSet.getLabels() == null ? Set.of() : changeSet.getLabels().getLabels();
                long phases = labels.stream().filter(l -> l.equals(EXPAND) || l.equals(CONTRACT)).count();
                if (phases != 1) {
                    problems.add("changeset " + describe(changeSet) + " has labels " + labels
                            + ": give it exactly one of 'expand' (backward compatible, runs before the new version takes"
                            + " traffic) or 'contract' (runs once the old version is out of traffic)");
                }
            }
            if (problems.isEmpty() && undoExpand) {
                for (ChangeSet changeSet : liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression("@" + EXPAND))) {
                    if (!canRollBack(liquibase, changeSet)) {
                        problems.add("expand changeset " + describe(changeSet) + " has no rollback: add one, so a failed"
                                + " release can undo expand, or set migrator.undoExpand: false");
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigException("changelog " + changelog + ": " + String.join("; ", problems));
            }
            return (Void) null;
        }).recover(e -> Future.failedFuture(e instanceof MigrationException
                ? new ConfigException(e.getMessage() + " (the changelog does not parse or cannot be read; fix it and retry)", e)
                : e));
    }

    @Override
    public void onLockRetry(LockRetries listener) {
        this.lockRetries = listener;
    }

    @Override
    public Future<String> schemaBefore(Changes changes, String proposed) {
        // Liquibase writes the tag itself, as expand's first step.
        return Future.succeededFuture(proposed);
    }

    @Override
    public Future<MigrationResult> expand(Changes changes, String tag) {
        return bounded(changes.changelog(), "expand", Step.EXPAND, liquibase -> {
            LabelExpression labels = new LabelExpression("@" + EXPAND);
            int count = liquibase.listUnrunChangeSets(new Contexts(), labels).size();
            liquibase.tag(tag);
            liquibase.update(new Contexts(), labels);
            return new MigrationResult(count, count + " expand changeset(s) applied after tag " + tag);
        });
    }

    @Override
    public Future<MigrationResult> undoExpand(Changes changes, String tag) {
        // Asked of the database first: with no tag there is nothing to undo, even when the changelog is gone
        // (a rollback from another machine or a cleaned CI workspace).
        return vertx.executeBlocking(() -> tagWritten(tag), false).compose(written -> !written
                ? Future.succeededFuture(new MigrationResult(0, "tag " + tag + " was never written: nothing to undo"))
                : bounded(changes.changelog(), "undo of expand", Step.UNDO_EXPAND, liquibase -> {
                    liquibase.rollback(tag, new Contexts(), new LabelExpression("@" + EXPAND));
                    return new MigrationResult(0, "database rolled back to tag " + tag);
                }));
    }

    private boolean tagWritten(String tag) throws SQLException {
        try (Connection c = database.open(); var ps = c.prepareStatement(
                "select count(*) from databasechangelog where tag = ? and to_regclass('databasechangelog') is not null")) {
            ps.setString(1, tag);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return false; // no changelog table: nothing was ever applied
            }
            throw e;
        }
    }

    @Override
    public Future<MigrationResult> contract(Changes changes) {
        return bounded(changes.changelog(), "contract", Step.CONTRACT, liquibase -> {
            LabelExpression labels = new LabelExpression("@" + CONTRACT);
            int count = liquibase.listUnrunChangeSets(new Contexts(), labels).size();
            liquibase.update(new Contexts(), labels);
            return new MigrationResult(count, count + " contract changeset(s) applied");
        });
    }

    @Override
    public Future<List<PlannedChange>> planned(Changes changes, boolean pendingOnly) {
        String changelog = changes.changelog();
        LiquibaseRunner.Work<List<PlannedChange>> work = liquibase -> {
            List<ChangeSet> all = liquibase.getDatabaseChangeLog().getChangeSets();
            List<ChangeSet> chosen = pendingOnly ? liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()) : all;
            List<PlannedChange> out = new ArrayList<>();
            Map<String, ChangeSetSources> sources = new HashMap<>();
            for (ChangeSet changeSet : chosen) {
                out.add(planned(changelog, changeSet, liquibase.getDatabase(), sources));
            }
            return out;
        };
        return vertx.executeBlocking(() -> {
            try {
                return pendingOnly ? run(changelog, work, 0) : LiquibaseRunner.offline(changelog, work);
            } catch (LiquibaseException e) {
                throw new MigrationException(changelog, e);
            }
        }, false);
    }

    /** A changeset's SQL: raw SQL as written (comments kept), any other change as Liquibase generates it. */
    private static PlannedChange planned(String changelog, ChangeSet changeSet, Database database,
                                         Map<String, ChangeSetSources> sources) {
        StringBuilder sql = new StringBuilder();
        boolean asWritten = false;
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AbstractSQLChange raw) {
                sql.append(raw.getSql()).append(";\n");
                asWritten = change instanceof RawSQLChange && changeSet.getChanges().size() == 1;
            } else {
                for (Sql statement : SqlGeneratorFactory.getInstance().generateSql(change, database)) {
                    sql.append(statement.toSql()).append(";\n");
                }
            }
        }
        Set<String> labels = changeSet.getLabels() == null ? Set.of() : changeSet.getLabels().getLabels();
        Phase phase = labels.contains(CONTRACT) ? Phase.CONTRACT : Phase.EXPAND;
        // The file as it is on disk: a changeset's own path may be a logicalFilePath.
        String file = changeSet.getChangeLog() == null ? changeSet.getFilePath() : changeSet.getChangeLog().getPhysicalFilePath();
        ChangeSetSources source = sources.computeIfAbsent(file, f -> new ChangeSetSources(LiquibaseRunner.source(changelog, f)));
        ChangeSetSources.Located located = source.find(changeSet.getId(), changeSet.getAuthor());
        String text = located.text() == null ? "" : located.text();
        if (changeSet.getComments() != null) {
            text = text + "\n" + changeSet.getComments();
        }
        // Formatted SQL: the SQL starts on the line after "--changeset", so a statement's own line can be told.
        boolean formatted = asWritten && located.text() != null && file.endsWith(".sql");
        return new PlannedChange(LiquibaseRunner.where(changelog, file), located.line(),
                changeSet.getId(), changeSet.getAuthor(), phase, sql.toString(), changeSet.isRunInTransaction(), text,
                formatted);
    }

    @Override
    public boolean canReplayHistory() {
        return true;
    }

    @Override
    public Future<MigrationResult> replayHistory(Changes changes, DatabaseInfo source, boolean schemaLoaded) {
        return vertx.executeBlocking(() -> {
            var applied = HistoryReplay.applied(source);
            return run(changes.changelog(), liquibase -> HistoryReplay.replay(liquibase, source.toString(), applied,
                    schemaLoaded), 0);
        }, false);
    }

    @Override
    public Future<String> plan(Changes changes, Phase phase) {
        return blocking(changes.changelog(), liquibase -> {
            StringWriter sql = new StringWriter();
            String label = phase == Phase.EXPAND ? EXPAND : CONTRACT;
            liquibase.update(new Contexts(), new LabelExpression("@" + label), sql);
            return sql.toString();
        });
    }

    private static boolean canRollBack(Liquibase liquibase, ChangeSet changeSet) {
        if (!changeSet.getRollback().getChanges().isEmpty()) {
            return true;
        }
        for (Change change : changeSet.getChanges()) {
            if (!change.supportsRollback(liquibase.getDatabase())) {
                return false;
            }
        }
        return !changeSet.getChanges().isEmpty();
    }

    private static String describe(ChangeSet changeSet) {
        return changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }

    /**
     * A phase that changes the schema: each statement waits at most {@code migrator.lockTimeout} for a lock, and
     * the phase is tried again (from the changeset that timed out: the ones before it are recorded) up to
     * {@code migrator.lockRetries} times, with exponential backoff.
     */
    private <T> Future<T> bounded(String changelog, String phase, Step step, LiquibaseRunner.Work<T> work) {
        long timeoutMillis = config.lockTimeout().toMillis();
        Retry retry = Retry.of("migrator." + phase, RetryConfig.custom()
                .maxAttempts(config.lockRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Math.max(50, timeoutMillis / 2), 2.0,
                        Math.max(1_000, timeoutMillis * 4)))
                .retryOnException(LiquibaseMigrator::lockTimedOut)
                .build());
        LockRetries listener = lockRetries;
        retry.getEventPublisher().onRetry(event -> listener.retried(step));
        return vertx.executeBlocking(() -> {
            try {
                return retry.executeCallable(() -> run(changelog, work, timeoutMillis));
            } catch (MigrationException e) {
                if (!lockTimedOut(e)) {
                    throw e;
                }
                throw new MigrationException(changelog, phase + " gave up after " + (config.lockRetries() + 1)
                        + " attempt(s): a statement waited longer than migrator.lockTimeout (" + Durations.format(config.lockTimeout())
                        + ") for a lock another session holds. The changesets before it are applied; find the blocking"
                        + " session in pg_stat_activity, or raise migrator.lockTimeout / migrator.lockRetries", e);
            }
        }, false);
    }

    private <T> T run(String changelog, LiquibaseRunner.Work<T> work, long lockTimeoutMillis) throws Exception {
        try (Connection connection = database.open()) {
            if (lockTimeoutMillis > 0) {
                try (var st = connection.createStatement()) {
                    st.execute("set lock_timeout = " + lockTimeoutMillis);
                }
            }
            return LiquibaseRunner.run(connection, changelog, null, work);
        } catch (LiquibaseException e) {
            throw new MigrationException(changelog, e);
        }
    }

    /** PostgreSQL's lock_not_available: a lock_timeout ran out. */
    static boolean lockTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private <T> Future<T> blocking(String changelog, LiquibaseRunner.Work<T> work) {
        return vertx.executeBlocking(() -> {
            try (Connection connection = database.open()) {
                return LiquibaseRunner.run(connection, changelog, null, work);
            } catch (LiquibaseException e) {
                throw new MigrationException(changelog, e);
            }
        }, false);
    }

    /** A Liquibase failure, with the changelog and the innermost cause, which is where the SQL error is. */
    public static final class MigrationException extends RuntimeException {
        MigrationException(String changelog, LiquibaseException e) {
            super("changelog " + changelog + ": " + innermost(e), e);
        }

        MigrationException(String changelog, String message, Throwable cause) {
            super("changelog " + changelog + ": " + message, cause);
        }

        private static String innermost(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.toString() : root.getMessage().strip();
        }
    }
}
