package dev.switchman.platform.process;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Programs;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.Platform;
import dev.switchman.util.ChildEnvironment;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slots as local processes. Each slot runs through {@code setsid}: its own session and process group (pgid == pid),
 * stdin from /dev/null, stdout and stderr appended to a log file. Nothing ties it to the coordinator, so it keeps
 * serving when the coordinator is killed, and any later process can stop it from its {@link SlotRecord}. This class
 * starts slots; {@link StartNote} keeps the note of the last one per colour and {@link ProcessGroup} stops them.
 */
public final class ProcessPlatform implements Platform {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessPlatform.class);

    /** Between two connection attempts while a slot starts. */
    static final Duration PORT_POLL = Duration.ofMillis(100);
    private static final int CONNECT_TIMEOUT_MS = 1000;
    /** The builtin router's admin token (see RouterFiles): no slot needs it. */
    private static final String PROGRAM_KEY = "platform.command[0]";

    private final Vertx vertx;
    private final String application;
    private final ProcessSettings config;
    private final Path stateDir;
    private final Path workingDir;
    private final Placeholders placeholders;
    private final Clock clock;
    private final StartNote note;
    private final Map<String, String> coordinatorEnv;
    private final Map<String, String> databaseEnv;

    /**
     * @param stateDir     the slots' log files go to {@code <stateDir>/logs}
     * @param workingDir   the resolved {@code platform.workingDir}
     * @param placeholders the values common to every slot; colour, version, port, host and logFile are added here
     */
    public ProcessPlatform(Vertx vertx, String application, ProcessSettings config, Path stateDir, Path workingDir,
                           Placeholders placeholders, Clock clock) {
        this(vertx, application, config, stateDir, workingDir, placeholders, clock, System.getenv(), Map.of());
    }

    /**
     * @param coordinatorEnv the environment slots start from (this process's, but for tests)
     * @param databaseEnv    libpq's variables for the application's database, set over it (platform.env wins)
     */
    ProcessPlatform(Vertx vertx, String application, ProcessSettings config, Path stateDir, Path workingDir,
                    Placeholders placeholders, Clock clock, Map<String, String> coordinatorEnv,
                    Map<String, String> databaseEnv) {
        this.vertx = vertx;
        this.application = application;
        this.config = config;
        this.stateDir = stateDir;
        this.workingDir = workingDir;
        this.placeholders = placeholders;
        this.clock = clock;
        this.note = new StartNote(stateDir, application);
        this.coordinatorEnv = Map.copyOf(coordinatorEnv);
        this.databaseEnv = Map.copyOf(databaseEnv);
    }

    /** {@code <stateDir>/logs/<app>-<colour>-<version>.log}, with characters unsafe in a file name replaced. */
    public Path logFile(Colour colour, String version) {
        String name = (application + "-" + colour.id() + "-" + version).replaceAll("[^A-Za-z0-9._-]", "_");
        return stateDir.resolve("logs").resolve(name + ".log");
    }

    /** Checks the working directory and the program as the slot would find them, then that the port is free. */
    @Override
    public Future<Void> preflight(Colour colour) {
        return vertx.executeBlocking(() -> {
            checkRunnable(colour);
            return null;
        }, false).compose(v -> portFree(colour));
    }

    private Future<Void> portFree(Colour colour) {
        NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
        return accepts(net, config.host(), config.port(colour))
                .compose(busy -> busy ? Future.<Void>failedFuture(portInUse(colour, config.host(), config.port(colour)))
                        : Future.<Void>succeededFuture())
                .eventually(net::close);
    }

    @Override
    public Future<SlotRecord> deploy(Colour colour, String version) {
        String host = config.host();
        int port = config.port(colour);
        Path logFile = logFile(colour, version).toAbsolutePath();
        List<String> command = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        try {
            Placeholders slot = placeholders.with(Map.of(
                    "colour", colour.id(), "version", version, "port", Integer.toString(port),
                    "host", host, "logFile", logFile.toString()));
            config.command().forEach(element -> command.add(slot.expand(element)));
            config.env().forEach((key, value) -> env.put(key, slot.expand(value)));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new ProcessPlatformException("platform.command/env: " + e.getMessage(), e));
        }
        String what = application + " " + colour + " " + version;
        NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
        return accepts(net, host, port)
                .compose(busy -> busy
                        ? Future.<Process>failedFuture(portInUse(colour, host, port))
                        : vertx.executeBlocking(() -> start(what, command, env, logFile, host, port), false))
                .compose(process -> vertx.executeBlocking(() -> {
                            Instant startedAt = process.toHandle().info().startInstant().orElseGet(clock::instant);
                            SlotRecord slot = new SlotRecord(application, colour, version, Long.toString(process.pid()),
                                    startedAt, List.of(new Endpoint(host, port)), logFile.toString());
                            note.write(slot);
                            return slot;
                        }, false)
                        // A slot that could not be noted is not left running unnoted.
                        .recover(e -> group(process.pid()).terminate().transform(x -> Future.<SlotRecord>failedFuture(e)))
                        .compose(slot -> awaitPort(net, process, what, host, port, logFile).map(slot)))
                .onSuccess(slot -> LOG.info("{} started: pid {}, {}, log {}", what, slot.handle(), slot.endpoints(), logFile))
                .eventually(net::close);
    }

    @Override
    public Future<Optional<SlotRecord>> started(Colour colour) {
        return vertx.executeBlocking(() -> note.read(colour), false);
    }

    @Override
    public Future<Void> stop(SlotRecord slot) {
        long pid;
        try {
            pid = Long.parseLong(slot.handle());
        } catch (NumberFormatException e) {
            return Future.failedFuture(new ProcessPlatformException(
                    "slot " + slot.colour() + " " + slot.version() + ": handle '" + slot.handle() + "' is not a pid"));
        }
        ProcessGroup group = group(pid);
        return group.isLedBy(slot.startedAt()).compose(ours -> {
            if (!ours) {
                LOG.debug("slot {} {}: pid {} is gone (or now another process), nothing to stop", slot.colour(), slot.version(), pid);
                return Future.succeededFuture();
            }
            return group.terminate();
        });
    }

    @Override
    public Future<Boolean> isRunning(SlotRecord slot) {
        long pid;
        try {
            pid = Long.parseLong(slot.handle());
        } catch (NumberFormatException e) {
            return Future.succeededFuture(false);
        }
        return group(pid).isLedBy(slot.startedAt());
    }

    /** The group setsid gave the slot: its leader's pid is the group's id. */
    private ProcessGroup group(long pid) {
        return new ProcessGroup(vertx, clock, pid, config.stopGrace());
    }

    // ---- preflight

    /** Blocking: throws a {@link ConfigException} when the slot's working directory or program is not there. */
    private void checkRunnable(Colour colour) {
        if (!Files.isDirectory(workingDir)) {
            throw new ConfigException("platform.workingDir: " + workingDir + " is not a directory (a relative"
                    + " platform.workingDir is resolved against the config file's directory). Create it, or set"
                    + " platform.workingDir to the directory the slot runs in.");
        }
        // The version (and the log file named after it) is not known yet: what depends on it is checked at start.
        Placeholders early = placeholders.with(Map.of(
                "colour", colour.id(), "port", Integer.toString(config.port(colour)), "host", config.host()));
        String template = config.command().getFirst();
        Optional<String> program = expandEarly(PROGRAM_KEY, template, early);
        String pathTemplate = config.env().get("PATH");
        Optional<String> sectionPath = pathTemplate == null ? Optional.empty() : expandEarly("platform.env.PATH", pathTemplate, early);
        if (program.isPresent() && (pathTemplate == null || sectionPath.isPresent())) {
            Programs.SearchPath path = Programs.searchPath("platform", sectionPath.orElse(null), coordinatorEnv);
            Programs.check(PROGRAM_KEY, "platform", template, program.get(), workingDir, path.value(), path.source());
        }
    }

    private static Optional<String> expandEarly(String key, String template, Placeholders early) {
        if (template.contains("{version}") || template.contains("{logFile}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(early.expand(template));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    // ---- starting

    private ProcessPlatformException portInUse(Colour colour, String host, int port) {
        String key = "platform.ports." + colour.id();
        return new ProcessPlatformException(key + ": port " + port + " on " + host + " already accepts connections before "
                + colour + " starts. Stop what listens there (`ss -ltnp 'sport = :" + port + "'` shows it; an earlier "
                + colour + " slot may still run), or set " + key + " to a free port.");
    }

    /** Completes with whether something accepts TCP connections on host:port; never fails. */
    private static Future<Boolean> accepts(NetClient net, String host, int port) {
        return net.connect(port, host).transform(ar -> ar.succeeded()
                ? ar.result().close().transform(closed -> Future.succeededFuture(true))
                : Future.succeededFuture(false));
    }

    /** Blocking: creates the log directory and starts the command in its own session. */
    private Process start(String what, List<String> command, Map<String, String> env, Path logFile, String host, int port)
            throws IOException {
        if (!Files.isDirectory(workingDir)) {
            throw new ProcessPlatformException("platform.workingDir: " + workingDir + " is not a directory");
        }
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "---- " + clock.instant() + " switchman: starting " + what + " on " + host + ":" + port + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> argv = new ArrayList<>(command.size() + 1);
        argv.add("setsid");
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        // The slot inherits the environment (a database password passes through), but not the router's token, nor
        // what would let a CD runner kill it with the job; it gets libpq's variables for its database, so a client
        // that is not on JDBC connects with no wrapper; platform.env may still set any of them.
        Map<String, String> slotEnv = ChildEnvironment.longLived(coordinatorEnv, Set.of(ChildEnvironment.ROUTER_TOKEN));
        slotEnv.putAll(databaseEnv);
        slotEnv.putAll(env);
        ChildEnvironment.use(builder, slotEnv);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessPlatformException("platform.command: cannot start " + command.getFirst()
                    + " through setsid (from util-linux): " + e.getMessage(), e);
        }
    }

    /** Completes once host:port accepts connections while the process runs. */
    private Future<Void> awaitPort(NetClient net, Process process, String what, String host, int port, Path logFile) {
        Instant deadline = clock.instant().plus(config.startTimeout());
        Promise<Void> started = Promise.promise();
        new Object() {
            void poll() {
                if (!process.isAlive()) {
                    exited(process, what, host, port, logFile).onComplete(started);
                    return;
                }
                accepts(net, host, port).onSuccess(open -> {
                    if (!process.isAlive()) {
                        exited(process, what, host, port, logFile).onComplete(started);
                    } else if (open) {
                        started.complete();
                    } else if (!clock.instant().isBefore(deadline)) {
                        timedOut(process, what, host, port, logFile).onComplete(started);
                    } else {
                        vertx.setTimer(PORT_POLL.toMillis(), id -> poll());
                    }
                });
            }
        }.poll();
        return started.future();
    }

    private Future<Void> exited(Process process, String what, String host, int port, Path logFile) {
        long pid = process.pid();
        int code = process.exitValue();
        // Whatever it left behind in its group goes too: the group is ours, its leader started moments ago.
        return group(pid).terminate().transform(cleaned -> vertx.executeBlocking(() -> LogTail.of(logFile), false))
                .compose(tail -> Future.failedFuture(new ProcessPlatformException(what + " (pid " + pid + ") exited with code "
                        + code + " before accepting connections on " + host + ":" + port
                        + " (platform.command must keep running in the foreground). Last lines of " + logFile + ":\n" + tail)));
    }

    private Future<Void> timedOut(Process process, String what, String host, int port, Path logFile) {
        long pid = process.pid();
        return group(pid).terminate()
                .transform(stopped -> vertx.executeBlocking(() -> LogTail.of(logFile), false).compose(tail -> Future.failedFuture(
                        new ProcessPlatformException(what + " (pid " + pid + ") did not accept connections on " + host + ":" + port
                                + " within platform.startTimeout (" + Durations.format(config.startTimeout()) + "); "
                                + (stopped.succeeded() ? "it was stopped" : "stopping it failed: " + stopped.cause().getMessage())
                                + ". Last lines of " + logFile + ":\n" + tail))));
    }
}
