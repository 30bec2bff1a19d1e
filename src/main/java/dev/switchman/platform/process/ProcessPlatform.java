package dev.switchman.platform.process;

import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.Platform;
import dev.switchman.util.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slots as local processes. Each slot runs through {@code setsid}: its own session and process group (pgid == pid),
 * stdin from /dev/null, stdout and stderr appended to a log file. Nothing ties it to the coordinator, so it keeps
 * serving when the coordinator is killed, and any later process can stop it from its {@link SlotRecord}.
 */
public final class ProcessPlatform implements Platform {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessPlatform.class);

    /** Between two connection attempts while a slot starts. */
    static final Duration PORT_POLL = Duration.ofMillis(100);
    /** Between two looks at /proc while a slot stops. */
    static final Duration EXIT_POLL = Duration.ofMillis(50);
    /** How long a process group gets to vanish after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /**
     * How far apart two readings of one process's start instant may be. The JDK derives it from the boot time,
     * which each JVM reads once and which moves when the wall clock is stepped.
     */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final String application;
    private final ProcessSettings config;
    private final Path stateDir;
    private final Path workingDir;
    private final Placeholders placeholders;
    private final Clock clock;

    /**
     * @param stateDir     the slots' log files go to {@code <stateDir>/logs}
     * @param workingDir   the resolved {@code platform.workingDir}
     * @param placeholders the values common to every slot; colour, version, port, host and logFile are added here
     */
    public ProcessPlatform(Vertx vertx, String application, ProcessSettings config, Path stateDir, Path workingDir,
                           Placeholders placeholders, Clock clock) {
        this.vertx = vertx;
        this.application = application;
        this.config = config;
        this.stateDir = stateDir;
        this.workingDir = workingDir;
        this.placeholders = placeholders;
        this.clock = clock;
    }

    /** {@code <stateDir>/logs/<app>-<colour>-<version>.log}, with characters unsafe in a file name replaced. */
    public Path logFile(Colour colour, String version) {
        String name = (application + "-" + colour.id() + "-" + version).replaceAll("[^A-Za-z0-9._-]", "_");
        return stateDir.resolve("logs").resolve(name + ".log");
    }

    @Override
    public Future<Void> preflight(Colour colour) {
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
                            writeStarted(colour, version, process, startedAt, host, port, logFile);
                            return startedAt;
                        }, false)
                        // A slot that could not be noted is not left running unnoted.
                        .recover(e -> terminateGroup(process.pid()).transform(x -> Future.<Instant>failedFuture(e)))
                        .compose(startedAt -> awaitPort(net, process, what, host, port, logFile, startedAt))
                        .map(startedAt -> new SlotRecord(application, colour, version, Long.toString(process.pid()),
                                startedAt, List.of(new Endpoint(host, port)), logFile.toString())))
                .onSuccess(slot -> LOG.info("{} started: pid {}, {}, log {}", what, slot.handle(), slot.endpoints(), logFile))
                .eventually(net::close);
    }

    @Override
    public Future<Optional<SlotRecord>> started(Colour colour) {
        return vertx.executeBlocking(() -> {
            Path file = startedFile(colour);
            if (!Files.exists(file)) {
                return Optional.<SlotRecord>empty();
            }
            JsonObject json = new JsonObject(Files.readString(file));
            return Optional.of(new SlotRecord(application, colour, json.getString("version"), json.getString("pid"),
                    json.getString("startedAt") == null ? null : Instant.parse(json.getString("startedAt")),
                    List.of(Endpoint.parse(json.getString("endpoint"))), json.getString("logFile")));
        }, false);
    }

    /** {@code <stateDir>/slots/<app>-<colour>.json}: the last slot started in a colour, written before its port opens. */
    private Path startedFile(Colour colour) {
        return stateDir.resolve("slots").resolve(application + "-" + colour.id() + ".json");
    }

    private void writeStarted(Colour colour, String version, Process process, Instant startedAt, String host, int port,
                              Path logFile) throws IOException {
        JsonObject json = new JsonObject().put("version", version).put("pid", Long.toString(process.pid()))
                .put("startedAt", startedAt.toString())
                .put("endpoint", new Endpoint(host, port).toString()).put("logFile", logFile.toString());
        AtomicFiles.write(startedFile(colour), json.encode().getBytes(StandardCharsets.UTF_8));
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
        return vertx.executeBlocking(() -> sameProcess(pid, slot.startedAt()), false).compose(ours -> {
            if (!ours) {
                LOG.debug("slot {} {}: pid {} is gone (or now another process), nothing to stop", slot.colour(), slot.version(), pid);
                return Future.succeededFuture();
            }
            return terminateGroup(pid);
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
        return vertx.executeBlocking(() -> sameProcess(pid, slot.startedAt()), false);
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
        // The slot inherits the environment (a database password passes through), but not the router's token.
        builder.environment().remove("SWITCHMAN_ROUTER_TOKEN");
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessPlatformException("platform.command: cannot start " + command.getFirst()
                    + " through setsid (from util-linux): " + e.getMessage(), e);
        }
    }

    /** Completes with the process's start instant once host:port accepts connections while the process runs. */
    private Future<Instant> awaitPort(NetClient net, Process process, String what, String host, int port, Path logFile,
                                      Instant startedAt) {
        Instant deadline = clock.instant().plus(config.startTimeout());
        Promise<Instant> started = Promise.promise();
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
                        started.complete(startedAt);
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

    private Future<Instant> exited(Process process, String what, String host, int port, Path logFile) {
        long pid = process.pid();
        int code = process.exitValue();
        // Whatever it left behind in its group goes too: the group is ours, its leader started moments ago.
        return terminateGroup(pid).transform(cleaned -> vertx.executeBlocking(() -> logTail(logFile), false))
                .compose(tail -> Future.failedFuture(new ProcessPlatformException(what + " (pid " + pid + ") exited with code "
                        + code + " before accepting connections on " + host + ":" + port
                        + " (platform.command must keep running in the foreground). Last lines of " + logFile + ":\n" + tail)));
    }

    private Future<Instant> timedOut(Process process, String what, String host, int port, Path logFile) {
        long pid = process.pid();
        return terminateGroup(pid)
                .transform(stopped -> vertx.executeBlocking(() -> logTail(logFile), false).compose(tail -> Future.failedFuture(
                        new ProcessPlatformException(what + " (pid " + pid + ") did not accept connections on " + host + ":" + port
                                + " within platform.startTimeout (" + Durations.format(config.startTimeout()) + "); "
                                + (stopped.succeeded() ? "it was stopped" : "stopping it failed: " + stopped.cause().getMessage())
                                + ". Last lines of " + logFile + ":\n" + tail))));
    }

    /** Blocking: the last lines of a log file, read from at most its last 64 KiB. */
    static String logTail(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (from > 0 && lines.size() > 1) {
                lines = lines.subList(1, lines.size()); // the first one is cut
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    // ---- stopping

    /** Blocking: whether {@code pid} runs and is the process that started at {@code startedAt}, not a recycled pid. */
    static boolean sameProcess(long pid, Instant startedAt) {
        if (startedAt == null || ProcStat.read(pid).map(ProcStat::gone).orElse(true)) {
            return false;
        }
        Optional<Instant> start = ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant());
        return start.isPresent() && Duration.between(start.get(), startedAt).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /** SIGTERM to the group, up to stopGrace for it to go, then SIGKILL; succeeds once no process of it is left. */
    private Future<Void> terminateGroup(long pgid) {
        return vertx.executeBlocking(() -> ProcStat.groupAlive(pgid), false).compose(alive -> {
            if (!alive) {
                return Future.succeededFuture();
            }
            return signal("TERM", pgid)
                    .compose(sent -> awaitGroupGone(pgid, config.stopGrace()))
                    .compose(gone -> {
                        if (gone) {
                            return Future.succeededFuture(true);
                        }
                        LOG.warn("process group {} still runs {} after SIGTERM (platform.stopGrace): sending SIGKILL",
                                pgid, Durations.format(config.stopGrace()));
                        return signal("KILL", pgid).compose(sent -> awaitGroupGone(pgid, KILL_WAIT));
                    })
                    .compose(gone -> gone ? Future.<Void>succeededFuture() : Future.failedFuture(new ProcessPlatformException(
                            "pid " + pgid + ": its process group still runs " + Durations.format(KILL_WAIT)
                                    + " after SIGKILL; look at it with `ps -o pid,stat,cmd -g " + pgid + "`")));
        });
    }

    /** Sends a signal to a whole process group with kill(1): Java can signal only single processes. */
    private Future<Void> signal(String signal, long pgid) {
        return vertx.executeBlocking(() -> {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
            // A non-zero exit means the group vanished meanwhile; waiting for it decides.
            return null;
        }, false);
    }

    private Future<Boolean> awaitGroupGone(long pgid, Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        Promise<Boolean> result = Promise.promise();
        new Object() {
            void poll() {
                vertx.executeBlocking(() -> ProcStat.groupAlive(pgid), false).onComplete(ar -> {
                    if (ar.failed()) {
                        result.fail(ar.cause());
                    } else if (!ar.result()) {
                        result.complete(true);
                    } else if (!clock.instant().isBefore(deadline)) {
                        result.complete(false);
                    } else {
                        vertx.setTimer(EXIT_POLL.toMillis(), id -> poll());
                    }
                });
            }
        }.poll();
        return result.future();
    }
}
