package dev.switchman.migration.command;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Programs;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.CommandLine;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.PlannedChange;
import dev.switchman.migration.SchemaVerifier;
import dev.switchman.util.ChildEnvironment;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Expand and contract with any migration tool (Alembic, Flyway, Rails, sqitch...), through the commands in
 * {@link CommandSettings}. The release holds its lock while a command runs, so no two releases of the application
 * migrate at once; each statement waits at most {@code migrator.lockTimeout} for a lock (libpq's
 * {@code PGOPTIONS}), and a command that timed out on one is run again with backoff. The tool keeps its own
 * history: Switchman records the revision {@code migrator.current} names before expand, and gives it back to
 * {@code migrator.undoExpand}.
 */
public final class CommandMigrator implements Migrator {
    private final Vertx vertx;
    private final CommandSettings settings;
    private final Path workingDir;
    private final Placeholders placeholders;
    private final Map<String, String> baseEnv;
    private final ToolRunner runner;
    private final SchemaVerifier verifier;
    private volatile LockRetries lockRetries = step -> { };

    /**
     * @param coordinatorEnv the environment the commands start from (this process's, but for tests); libpq's
     *                       variables for {@code database} are set over it, and {@code migrator.env} over those
     */
    public CommandMigrator(Vertx vertx, CommandSettings settings, Path workingDir, Placeholders placeholders,
                           Map<String, String> coordinatorEnv, DatabaseInfo database, Path logFile, Clock clock) {
        this.vertx = vertx;
        this.settings = settings;
        this.workingDir = workingDir;
        this.placeholders = placeholders;
        Map<String, String> databaseEnv = database.libpqEnvironment(coordinatorEnv);
        Map<String, String> env = ChildEnvironment.forDatabaseTool(coordinatorEnv, databaseEnv);
        String lockTimeout = "-c lock_timeout=" + settings.lockTimeout().toMillis();
        String options = env.get("PGOPTIONS");
        env.put("PGOPTIONS", options == null || options.isBlank() ? lockTimeout : options + " " + lockTimeout);
        this.baseEnv = Map.copyOf(env);
        this.runner = new ToolRunner(workingDir, logFile, settings.timeout(), databaseEnv.get("PGPASSWORD"), clock);
        this.verifier = new SchemaVerifier(vertx, database, settings.verify(), placeholders, baseEnv, runner);
    }

    @Override
    public void onLockRetry(LockRetries listener) {
        this.lockRetries = listener;
    }

    @Override
    public boolean mayUndoExpand() {
        return !settings.undoExpand().isEmpty();
    }

    @Override
    public String whyExpandStays() {
        return "migrator.undoExpand is not set, so expand cannot be undone (the expanded schema is backward compatible"
                + " and stays; the next release starts from it)";
    }

    @Override
    public Future<Void> check(Changes changes) {
        return vertx.executeBlocking(() -> {
            if (!Files.isDirectory(workingDir)) {
                throw new ConfigException("migrator.workingDir: " + workingDir + " is not a directory (a relative"
                        + " migrator.workingDir is resolved against the config file's directory)");
            }
            // Every command, expanded as it will run ({schema.before} is known only later): a missing program,
            // a placeholder without a value or a missing changelog is exit 2 before anything is touched.
            Placeholders values = values(changes, "{schema.before}");
            Map<String, String> env = env(values);
            for (Map.Entry<String, List<String>> command : commands().entrySet()) {
                List<String> argv = expand(command.getKey(), command.getValue(), values);
                Programs.SearchPath path = Programs.searchPath("migrator",
                        settings.env().containsKey("PATH") ? env.get("PATH") : null, baseEnv);
                Programs.check(command.getKey() + "[0]", "migrator", command.getValue().getFirst(), argv.getFirst(),
                        workingDir, path.value(), path.source());
            }
            return null;
        }, false);
    }

    @Override
    public Future<String> schemaBefore(Changes changes, String proposed) {
        if (settings.current().isEmpty()) {
            return Future.succeededFuture(proposed);
        }
        return blocking("current", () -> {
            ToolRun run = runOnce("current", settings.current(), values(changes, null));
            String line = run.lastLine();
            // The first word: tools print the revision and then notes on it ("v1 (head)").
            return line == null ? settings.initialRevision() : line.split("\\s+")[0];
        });
    }

    @Override
    public Future<MigrationResult> expand(Changes changes, String tag) {
        return phase("expand", Step.EXPAND, settings.expand(), values(changes, tag));
    }

    @Override
    public Future<MigrationResult> undoExpand(Changes changes, String tag) {
        if (settings.undoExpand().isEmpty()) {
            return Future.failedFuture(new IllegalStateException(whyExpandStays()));
        }
        return phase("undoExpand", Step.UNDO_EXPAND, settings.undoExpand(), values(changes, tag));
    }

    @Override
    public Future<String> verify(Changes changes, Phase phase) {
        return verifier.after(changes, phase);
    }

    @Override
    public Future<MigrationResult> contract(Changes changes) {
        return phase("contract", Step.CONTRACT, settings.contract(), values(changes, null));
    }

    @Override
    public Future<String> plan(Changes changes, Phase phase) {
        String key = phase == Phase.EXPAND ? "migrator.plan.expand" : "migrator.plan.contract";
        List<String> command = phase == Phase.EXPAND ? settings.plan().expand() : settings.plan().contract();
        if (command.isEmpty()) {
            return Future.failedFuture(new ConfigException(key + " is not set: give the command that prints the SQL the "
                    + phase.name().toLowerCase() + " phase would run (e.g. [\"alembic\", \"upgrade\", \"--sql\", "
                    + "\"{schema.before}:expand@head\"])"));
        }
        Future<String> before = command.stream().anyMatch(a -> a.contains("{schema.before}"))
                ? schemaBefore(changes, null) : Future.succeededFuture(null);
        return before.compose(tag -> blocking(key, () -> {
            ToolRun run = runOnce(key, command, values(changes, tag));
            if (!run.ok()) {
                throw failure(key, run);
            }
            return run.stdout();
        }));
    }

    /**
     * The SQL of both phases as {@code migrator.plan} prints it, a change per phase (the lint names the revision
     * of each statement where the tool's output says it). Without both plan commands there is nothing to lint.
     */
    @Override
    public boolean canPlan() {
        return !settings.plan().expand().isEmpty() && !settings.plan().contract().isEmpty();
    }

    @Override
    public Future<List<PlannedChange>> planned(Changes changes, boolean pendingOnly) {
        return plan(changes, Phase.EXPAND).compose(expand -> plan(changes, Phase.CONTRACT).map(contract -> List.of(
                new PlannedChange("migrator.plan.expand", 0, changes.version() + " expand", null, Phase.EXPAND, expand,
                        false, expand, true),
                new PlannedChange("migrator.plan.contract", 0, changes.version() + " contract", null, Phase.CONTRACT,
                        contract, false, contract, true))));
    }

    // ---- running

    /** A phase that changes the schema: run, and run again while it times out on a lock, with backoff. */
    private Future<MigrationResult> phase(String step, Step which, List<String> command, Placeholders values) {
        String key = "migrator." + step;
        long timeoutMillis = settings.lockTimeout().toMillis();
        Retry retry = Retry.of(key, RetryConfig.<ToolRun>custom()
                .maxAttempts(settings.lockRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Math.max(50, timeoutMillis / 2), 2.0,
                        Math.max(1_000, timeoutMillis * 4)))
                .retryOnResult(run -> !run.ok() && run.lockTimedOut())
                .build());
        LockRetries listener = lockRetries;
        retry.getEventPublisher().onRetry(event -> listener.retried(which));
        return blocking(key, () -> {
            ToolRun run = retry.executeCallable(() -> runOnce(key, command, values));
            if (!run.ok()) {
                throw failure(key, run);
            }
            String last = run.tail(1);
            return MigrationResult.uncounted(run.shown() + ": done in " + run.millis() + " ms"
                    + (last.isEmpty() ? "" : " (" + abbreviate(last) + ")"));
        });
    }

    private ToolRun runOnce(String key, List<String> command, Placeholders values) throws Exception {
        List<String> argv = expand(key, command, values);
        return runner.run(key, argv, env(values));
    }

    private RuntimeException failure(String key, ToolRun run) {
        String why = run.timedOut() ? run.shown() + " ran longer than migrator.timeout ("
                + Durations.format(settings.timeout()) + ") and was stopped" : run.shown() + " exited with " + run.exitCode();
        String lock = run.lockTimedOut() ? " It waited longer than migrator.lockTimeout (" + settings.lockTimeout().toMillis()
                + " ms) for a lock another session holds, " + (settings.lockRetries() + 1) + " time(s): find the blocking"
                + " session in pg_stat_activity, or raise migrator.lockTimeout / migrator.lockRetries." : "";
        return new CommandFailed(key + ": " + why + "." + lock + " Last lines of its output (all of it in "
                + runner.logFile() + "):\n" + run.tail(8));
    }

    private <T> Future<T> blocking(String key, Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    // ---- placeholders and environment

    private Placeholders values(Changes changes, String before) {
        return CommandLine.values(placeholders, changes, before);
    }

    private static List<String> expand(String key, List<String> command, Placeholders values) {
        return CommandLine.expand(key, command, values);
    }

    private Map<String, String> env(Placeholders values) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        settings.env().forEach((name, template) -> {
            try {
                env.put(name, values.expand(template));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("migrator.env." + name + ": " + e.getMessage(), e);
            }
        });
        return env;
    }

    private Map<String, List<String>> commands() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("migrator.expand", settings.expand());
        all.put("migrator.contract", settings.contract());
        all.put("migrator.undoExpand", settings.undoExpand());
        all.put("migrator.current", settings.current());
        all.put("migrator.plan.expand", settings.plan().expand());
        all.put("migrator.plan.contract", settings.plan().contract());
        all.values().removeIf(List::isEmpty);
        return all;
    }

    private static String abbreviate(String line) {
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }

    /** A command that failed: its key, how it ended and the tail of what it printed. */
    public static final class CommandFailed extends RuntimeException {
        CommandFailed(String message) {
            super(message);
        }
    }
}
