package dev.switchman.traffic.command;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Programs;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.TargetJson;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A router driven through the commands of {@link CommandRouterSettings}, each run on a worker and stopped past
 * {@code router.timeout}. With {@code router.status}, the router itself says what it applies (and, when it prints
 * them, its per-colour counters); without it, what the last {@code setWeights} applied is kept in
 * {@code stateDir/router-command-<app>.json} ({@link AppliedTarget}), and nothing is counted. What the commands
 * print is appended to {@code stateDir/logs/<app>-router.log}.
 */
public final class CommandRouter implements Router {
    /** How much of a failing command's output its error keeps. */
    static final int TAIL_LINES = 8;

    private final Vertx vertx;
    private final CommandRouterSettings settings;
    private final Path workingDir;
    private final Placeholders common;
    private final Map<String, String> env;
    private final Path stateFile;
    private final ToolRunner runner;
    private final Clock clock;
    /** One setWeights at a time in this process, so the state file follows the order the targets were given in. */
    private final Object setting = new Object();

    /**
     * @param coordinatorEnv the environment the commands start from, already without what they must not see;
     *                       {@code router.env} is set over it
     * @param secret         masked wherever a command's output goes (the database password; null: none)
     */
    public CommandRouter(Vertx vertx, CommandRouterSettings settings, Path workingDir, String app, Path stateDir,
                         Map<String, String> coordinatorEnv, String secret, Clock clock) {
        this.vertx = vertx;
        this.settings = settings;
        this.workingDir = workingDir;
        this.common = new Placeholders(Map.of("app", app, "stateDir", stateDir.toString()));
        Map<String, String> all = new HashMap<>(coordinatorEnv);
        settings.env().forEach((name, template) -> all.put(name, common.expand(template)));
        this.env = Map.copyOf(all);
        this.stateFile = stateDir.resolve("router-command-" + app + ".json");
        this.runner = new ToolRunner(workingDir, stateDir.resolve("logs").resolve(app + "-router.log"), settings.timeout(),
                secret, clock);
        this.clock = clock;
    }

    /**
     * Checks what would fail every call: the working directory, a program that cannot run. Blocking: reads the file
     * system.
     *
     * @throws ConfigException naming the key
     */
    public void check() {
        if (!Files.isDirectory(workingDir)) {
            throw new ConfigException("router.workingDir: " + workingDir + " is not a directory (a relative"
                    + " router.workingDir is resolved against the config file's directory)");
        }
        Programs.SearchPath path = Programs.searchPath("router",
                settings.env().containsKey("PATH") ? env.get("PATH") : null, env);
        for (Map.Entry<String, List<String>> command : commands().entrySet()) {
            String template = command.getValue().getFirst();
            String program;
            try {
                program = common.expand(template);
            } catch (IllegalArgumentException knownOnlyPerCall) {
                continue; // a program named by the target is checked when it runs
            }
            Programs.check(command.getKey() + "[0]", "router", template, program, workingDir, path.value(), path.source());
        }
    }

    @Override
    public Future<Void> setWeights(TrafficTarget target) {
        List<String> argv;
        try {
            argv = expand("router.setWeights", settings.setWeights(), common.with(values(target)));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return vertx.executeBlocking(() -> {
            synchronized (setting) {
                if (!settings.hasStatus()) {
                    // Written first: a setWeights that fails or is killed leaves the router's target unknown.
                    AppliedTarget.read(stateFile).trying(target, clock.instant()).write(stateFile);
                }
                ToolRun run = runner.run("router.setWeights", argv, env);
                if (!run.ok()) {
                    throw failure("router.setWeights", run);
                }
                if (!settings.hasStatus()) {
                    AppliedTarget.succeeded(target, clock.instant()).write(stateFile);
                }
                return null;
            }
        }, false);
    }

    @Override
    public Future<Boolean> verify(TrafficTarget target) {
        if (settings.hasStatus()) {
            return status().map(status -> sameTarget(status.target(), target));
        }
        return vertx.executeBlocking(() -> {
            AppliedTarget known = AppliedTarget.read(stateFile);
            return known.unconfirmed() == null && sameTarget(known.applied(), target);
        }, false);
    }

    /** Only a status command can report counters (it prints them, or the router metric sees no traffic). */
    @Override
    public boolean countsPerColour() {
        return settings.hasStatus();
    }

    @Override
    public Future<RouterStatus> status() {
        if (!settings.hasStatus()) {
            return vertx.executeBlocking(() -> new RouterStatus(AppliedTarget.read(stateFile).applied(), Map.of()), false);
        }
        List<String> argv = expand("router.status", settings.status(), common);
        return vertx.executeBlocking(() -> {
            ToolRun run = runner.run("router.status", argv, env);
            if (!run.ok()) {
                throw failure("router.status", run);
            }
            try {
                return StatusOutput.parse(run.stdout());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("router.status: " + run.shown() + " printed something that is not the"
                        + " router's status JSON (" + e.getMessage() + "; expected the target, or {\"target\": ...,"
                        + " \"stats\": ...}): " + StatusOutput.shown(run.stdout()));
            }
        }, false);
    }

    @Override
    public Future<Void> drain(Colour colour) {
        if (settings.hasDrain()) {
            List<String> argv = expand("router.drain", settings.drain(), common.with(Map.of("colour", colour.id())));
            return vertx.executeBlocking(() -> {
                ToolRun run = runner.run("router.drain " + colour.id(), argv, env);
                if (!run.ok()) {
                    throw failure("router.drain", run);
                }
                return null;
            }, false);
        }
        long millis = settings.drainTime().toMillis();
        if (millis == 0) {
            return Future.succeededFuture();
        }
        // The router cannot say when the colour's last request ended: wait the documented drain time.
        Promise<Void> waited = Promise.promise();
        vertx.setTimer(millis, id -> waited.complete());
        return waited.future();
    }

    /** What the target's placeholders stand for in {@code router.setWeights}. */
    static Map<String, String> values(TrafficTarget target) {
        Map<String, String> values = new HashMap<>();
        for (Colour colour : Colour.values()) {
            values.put(colour.id() + ".weight", Integer.toString(target.weight(colour)));
            values.put(colour.id() + ".endpoints", target.endpoints(colour).stream()
                    .map(Endpoint::toString).collect(Collectors.joining(",")));
        }
        values.put("target.json", TargetJson.toJson(target).encode());
        return values;
    }

    /** Equal when every colour has the same weight and endpoints; an absent colour is weight 0, no endpoints. */
    static boolean sameTarget(TrafficTarget actual, TrafficTarget expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        for (Colour colour : Colour.values()) {
            if (actual.weight(colour) != expected.weight(colour)
                    || !actual.endpoints(colour).equals(expected.endpoints(colour))) {
                return false;
            }
        }
        return true;
    }

    private IllegalStateException failure(String key, ToolRun run) {
        if (run.timedOut()) {
            return new IllegalStateException(key + ": " + run.shown() + " ran longer than router.timeout ("
                    + Durations.format(settings.timeout()) + ") and was stopped (its output is in " + runner.logFile() + ")");
        }
        String tail = run.tail(TAIL_LINES);
        return new IllegalStateException(key + ": " + run.shown() + " exited with " + run.exitCode()
                + (tail.isEmpty() ? " and printed nothing" : ". Last lines of its output (all of it in "
                + runner.logFile() + "):\n" + tail));
    }

    private static List<String> expand(String key, List<String> command, Placeholders values) {
        List<String> argv = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            try {
                argv.add(values.expand(command.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return argv;
    }

    private Map<String, List<String>> commands() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("router.setWeights", settings.setWeights());
        all.put("router.status", settings.status());
        all.put("router.drain", settings.drain());
        all.values().removeIf(List::isEmpty);
        return all;
    }
}
