package dev.switchman.migration;

import dev.switchman.config.Placeholders;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code migrator.verify}'s check for a phase, for any kind of migrator: the query on a connection of its own
 * (on a worker), or the command with libpq's variables through a {@link ToolRunner}. Completes with a line for
 * the gate's detail; fails naming the key and what it saw.
 */
public final class SchemaVerifier {
    private final Vertx vertx;
    private final DatabaseInfo database;
    private final SchemaChecks checks;
    private final Placeholders placeholders;
    private final Map<String, String> env;
    private final ToolRunner runner;

    /** @param env the environment a check's command runs with (libpq's variables in it) */
    public SchemaVerifier(Vertx vertx, DatabaseInfo database, SchemaChecks checks, Placeholders placeholders,
                          Map<String, String> env, ToolRunner runner) {
        this.vertx = vertx;
        this.database = database;
        this.checks = checks;
        this.placeholders = placeholders;
        this.env = Map.copyOf(env);
        this.runner = runner;
    }

    public Future<String> after(Migrator.Changes changes, Migrator.Phase phase) {
        SchemaCheck check = checks.after(phase);
        String key = "migrator.verify." + phase.name().toLowerCase();
        if (check == null) {
            return Future.succeededFuture(null);
        }
        return vertx.executeBlocking(() -> check.sql() != null && !check.sql().isBlank()
                ? query(key, check.sql()) : command(key, check.command(), changes), false);
    }

    private String query(String key, String sql) throws SQLException {
        try (Connection c = database.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            Object value = rs.next() ? rs.getObject(1) : null;
            if (!Boolean.TRUE.equals(value) && !"t".equals(value) && !"true".equals(value)) {
                throw new SchemaCheckFailed(key + ": the query returned " + (value == null ? "no row" : value)
                        + ", not true: " + sql);
            }
            return key + ": the query returned true";
        } catch (SQLException e) {
            throw new SchemaCheckFailed(key + ": the query failed: " + e.getMessage() + " (" + sql + ")");
        }
    }

    private String command(String key, List<String> command, Migrator.Changes changes) throws Exception {
        List<String> argv = CommandLine.expand(key + ".command", command, CommandLine.values(placeholders, changes, null));
        ToolRun run = runner.run(key, argv, env);
        if (!run.ok()) {
            throw new SchemaCheckFailed(key + ": " + run.shown() + (run.timedOut() ? " was stopped at its timeout"
                    : " exited with " + run.exitCode()) + ". Last lines of its output (all of it in " + runner.logFile()
                    + "):\n" + run.tail(8));
        }
        return key + ": " + run.shown() + " exited 0";
    }

    /** A check that did not hold. */
    public static final class SchemaCheckFailed extends RuntimeException {
        SchemaCheckFailed(String message) {
            super(message);
        }
    }
}
