package dev.switchman.health.command;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Programs;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Probe;
import dev.switchman.health.SlotColours;
import dev.switchman.model.Endpoint;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe that runs {@code health.command} for an endpoint, on a worker: exit 0 passes; any other exit fails with
 * the last lines of what it printed. The command runs at most the probe's limit and is stopped then, with whatever
 * it started, so a hung command leaves nothing behind. What it prints is appended to the health log.
 */
public final class CommandHealthCheck implements Probe {
    /** How much of a failing command's output its measurement keeps. */
    static final int TAIL_LINES = 5;

    private final Vertx vertx;
    private final CommandHealthSettings settings;
    private final Path workingDir;
    private final Placeholders placeholders;
    private final SlotColours colours;
    private final Map<String, String> env;
    private final Path logFile;
    private final Clock clock;

    /**
     * @param placeholders values besides the endpoint's and the version ({@code {app}})
     * @param env          exactly the environment the command gets
     */
    public CommandHealthCheck(Vertx vertx, CommandHealthSettings settings, Path workingDir, Placeholders placeholders,
                              SlotColours colours, Map<String, String> env, Path logFile, Clock clock) {
        this.vertx = vertx;
        this.settings = settings;
        this.workingDir = workingDir;
        this.placeholders = placeholders;
        this.colours = colours;
        this.env = Map.copyOf(env);
        this.logFile = logFile;
        this.clock = clock;
    }

    /**
     * Checks, before any probe, what would fail every probe: the working directory, {@code {colour}} without a
     * value, a program that cannot run. Blocking: reads the file system.
     *
     * @throws ConfigException naming the key
     */
    public void check() {
        if (!Files.isDirectory(workingDir)) {
            throw new ConfigException("health.workingDir: " + workingDir + " is not a directory (a relative"
                    + " health.workingDir is resolved against the config file's directory)");
        }
        if (settings.uses("colour") && !colours.known()) {
            throw new ConfigException("health.command uses {colour}, but the platform gives no port per colour"
                    + " (platform.ports.blue and .green), so an endpoint's colour is not known: leave {colour} out");
        }
        String program = settings.command().getFirst();
        // A program named through a placeholder is known only per endpoint: it fails its probes instead.
        if (!program.contains("{")) {
            Programs.SearchPath path = Programs.searchPath("health", null, env);
            Programs.check("health.command[0]", "health", program, program, workingDir, path.value(), path.source());
        }
    }

    @Override
    public Future<Measurement> probe(Endpoint endpoint, String expectedVersion, Duration limit) {
        List<String> argv;
        try {
            argv = expand(endpoint, expectedVersion);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR, e.getMessage()));
        }
        ToolRunner runner = new ToolRunner(workingDir, logFile, limit, null, clock);
        return vertx.executeBlocking(() -> judge(runner.run("health " + endpoint, argv, env), limit), false)
                .recover(e -> Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR,
                        "health.command: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))));
    }

    private List<String> expand(Endpoint endpoint, String expectedVersion) {
        Map<String, String> values = new HashMap<>();
        values.put("host", endpoint.host());
        values.put("port", Integer.toString(endpoint.port()));
        values.put("url", "http://" + endpoint.host() + ":" + endpoint.port());
        values.put("version", expectedVersion);
        colours.of(endpoint).ifPresent(colour -> values.put("colour", colour.id()));
        Placeholders all = placeholders.with(values);
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < settings.command().size(); i++) {
            try {
                argv.add(all.expand(settings.command().get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("health.command[" + i + "]: " + e.getMessage(), e);
            }
        }
        return argv;
    }

    private Measurement judge(ToolRun run, Duration limit) {
        if (run.ok()) {
            return new Measurement(clock.instant(), Phase.SUCCESS, run.shown() + " exited 0");
        }
        if (run.timedOut()) {
            return new Measurement(clock.instant(), Phase.ERROR, run.shown() + " ran longer than "
                    + Durations.format(limit) + " and was stopped");
        }
        String tail = run.tail(TAIL_LINES);
        return new Measurement(clock.instant(), Phase.FAILURE, run.shown() + " exited with " + run.exitCode()
                + (tail.isEmpty() ? " and printed nothing" : ": " + tail));
    }
}
