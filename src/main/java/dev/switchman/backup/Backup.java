package dev.switchman.backup;

import dev.switchman.config.BackupConfig;
import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Programs;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.util.ChildEnvironment;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The backup taken before expand: {@code backup.command} run to its end, bounded by {@code backup.timeout}, in
 * {@code backup.workingDir}, with libpq's variables for the application's database in its environment (so
 * {@code pg_dump} needs no URL), what it prints appended to {@code <stateDir>/logs/<app>-backup.log} with the
 * password masked. It writes to {@code {backup.file}}, a file Switchman names in {@code backup.dir}; the result is
 * where the backup is (that file, or the directory when the command wrote no such file) and its size.
 */
public final class Backup {
    static final String COMMAND_KEY = "backup.command";
    private static final String PROGRAM_KEY = COMMAND_KEY + "[0]";
    private static final int TAIL_LINES = 10;

    private final Vertx vertx;
    private final String application;
    private final BackupConfig config;
    private final Path dir;
    private final Path workingDir;
    private final Path logFile;
    private final Placeholders placeholders;
    private final Map<String, String> toolEnv;
    private final ToolRunner runner;

    /** What a backup left: where it is, its size in bytes, how long the command ran. */
    public record Result(Path location, long bytes, long millis) {}

    /**
     * @param base the placeholder values common to every command ({@code app}, {@code stateDir}, the database's);
     *             {@code backup.dir} is added here, {@code version} and {@code backup.file} for each run
     */
    public Backup(Vertx vertx, LoadedConfig loaded, DatabaseInfo database, Placeholders base, Clock clock) {
        this(vertx, loaded, database, base, clock, System.getenv());
    }

    /** @param coordinatorEnv the environment the command starts from (this process's, but for tests) */
    Backup(Vertx vertx, LoadedConfig loaded, DatabaseInfo database, Placeholders base, Clock clock,
           Map<String, String> coordinatorEnv) {
        this.vertx = vertx;
        this.application = loaded.application();
        this.config = loaded.config().backup();
        this.dir = config.dir() == null ? loaded.stateDir().resolve("backups") : loaded.resolve(config.dir());
        this.workingDir = loaded.resolve(config.workingDir());
        this.logFile = loaded.stateDir().resolve("logs").resolve(application + "-backup.log");
        this.placeholders = base.with(Map.of("backup.dir", dir.toString()));
        this.toolEnv = Map.copyOf(ChildEnvironment.forDatabaseTool(coordinatorEnv, database.libpqEnvironment(coordinatorEnv)));
        this.runner = new ToolRunner(workingDir, logFile, config.timeout(), toolEnv.get("PGPASSWORD"), clock);
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return logFile;
    }

    /** {@code <backup.dir>/<app>-<release>-<version>.dump}, with characters unsafe in a file name replaced. */
    public Path file(long releaseId, String version) {
        return dir.resolve((application + "-" + releaseId + "-" + version).replaceAll("[^A-Za-z0-9._-]", "_") + ".dump");
    }

    /**
     * Checks, touching nothing, what would stop the command from running: its working directory, the directory the
     * backup goes to, and its program, found the way it will be. Fails with a {@link ConfigException}.
     */
    public Future<Void> preflight() {
        return vertx.executeBlocking(() -> {
            checkWorkingDir();
            checkDir();
            checkProgram();
            return null;
        }, false);
    }

    /**
     * Runs the backup of release {@code releaseId} to its end; when {@code stop} completes first, the command is
     * stopped at once and the run fails. Fails with a {@link BackupException} when the command fails or runs past
     * {@code backup.timeout}.
     */
    public Future<Result> run(long releaseId, String version, CompletionStage<?> stop) {
        return vertx.executeBlocking(() -> runBlocking(releaseId, version, stop), false);
    }

    private Result runBlocking(long releaseId, String version, CompletionStage<?> stop) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = file(releaseId, version);
        Placeholders values = placeholders.with(Map.of("version", version, "backup.file", file.toString()));
        List<String> command = config.command().stream().map(values::expand).toList();
        Map<String, String> env = new LinkedHashMap<>(toolEnv);
        config.env().forEach((key, value) -> env.put(key, values.expand(value)));
        ToolRun run;
        try {
            run = runner.run("backup of release #" + releaseId + " (" + version + ")", command, env, stop);
        } catch (IOException e) {
            throw new BackupException(COMMAND_KEY + ": " + e.getMessage() + " (its log: " + logFile + ")", e);
        }
        if (stop.toCompletableFuture().isDone()) {
            throw new BackupException(COMMAND_KEY + " was stopped after " + run.millis() + " ms: the release is stopping"
                    + removedPartial(file));
        }
        if (run.timedOut()) {
            throw new BackupException(COMMAND_KEY + " did not finish within backup.timeout (" + Durations.format(config.timeout())
                    + ") and was stopped: " + run.shown() + removedPartial(file) + output(run));
        }
        if (!run.ok()) {
            throw new BackupException(COMMAND_KEY + " exited with code " + run.exitCode() + ": " + run.shown()
                    + removedPartial(file) + output(run));
        }
        Path location = Files.exists(file) ? file : dir;
        return new Result(location, size(location), run.millis());
    }

    /** A failed backup leaves no file that reads as a good one: the partial file it wrote is removed. */
    private static String removedPartial(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.deleteIfExists(file) ? " (its partial file " + file + " was removed)" : "";
    }

    private String output(ToolRun run) {
        String tail = run.tail(TAIL_LINES);
        return (tail.isEmpty() ? ". It printed nothing" : ". Last lines of its output:\n" + tail)
                + "\n(all of it in " + logFile + ")";
    }

    /** A file's size, or the total of the files under a directory. */
    private static long size(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return Files.size(location);
        }
        try (Stream<Path> all = Files.walk(location)) {
            return all.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ---- preflight

    private void checkWorkingDir() {
        if (!Files.isDirectory(workingDir)) {
            throw new ConfigException("backup.workingDir: " + workingDir + " is not a directory (a relative backup.workingDir"
                    + " is resolved against the config file's directory). Create it, or set backup.workingDir to the"
                    + " directory the backup command runs in.");
        }
    }

    /** The directory exists and is writable, or can be created: its nearest existing parent is a writable directory. */
    private void checkDir() {
        String how = config.dir() == null ? " (the default, <stateDir>/backups)" : "";
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("backup.dir: " + dir + how + " is not a directory. Set backup.dir to a directory"
                        + " (it is created when missing).");
            }
            if (!Files.isWritable(dir)) {
                throw new ConfigException("backup.dir: " + dir + how + " is not writable by this user. Make it writable,"
                        + " or set backup.dir to a directory that is.");
            }
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new ConfigException("backup.dir: " + dir + how + " does not exist and cannot be created"
                    + (parent == null ? "" : ": " + parent + " is not a writable directory")
                    + ". Create it, or set backup.dir to a directory this user may write to.");
        }
    }

    private void checkProgram() {
        String template = config.command().getFirst();
        Optional<String> program = expandEarly(PROGRAM_KEY, template);
        String pathTemplate = config.env().get("PATH");
        Optional<String> sectionPath = pathTemplate == null ? Optional.empty() : expandEarly("backup.env.PATH", pathTemplate);
        if (program.isPresent() && (pathTemplate == null || sectionPath.isPresent())) {
            Programs.SearchPath path = Programs.searchPath("backup", sectionPath.orElse(null), toolEnv);
            Programs.check(PROGRAM_KEY, "backup", template, program.get(), workingDir, path.value(), path.source());
        }
    }

    /** What depends on the release (its version, its file) is not known before it begins: checked when it runs. */
    private Optional<String> expandEarly(String key, String template) {
        if (template.contains("{version}") || template.contains("{backup.file}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(placeholders.expand(template));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }
}
