package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Wiring;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterDaemon;
import dev.switchman.util.ChildEnvironment;
import dev.switchman.util.SwitchmanJar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts {@code switchman router} detached (own session, output to a log file) and stops it by its pid file. */
final class RouterProcess {
    /** The first Java that knows {@code --sun-misc-unsafe-memory-access}; an older one refuses to start with it. */
    private static final int UNSAFE_FLAG_SINCE = 23;
    /** The first Java 21 that knows {@code -XX:TrimNativeHeapInterval}; 21.0.0 refuses to start with it. */
    private static final Runtime.Version TRIM_SINCE = Runtime.Version.parse("21.0.1");

    private RouterProcess() {}

    static Path pidFile(LoadedConfig config, RouterDaemon daemon) {
        return config.stateDir().resolve(daemon.name() + ".pid");
    }

    static Path logFile(LoadedConfig config, RouterDaemon daemon) {
        return config.stateDir().resolve("logs").resolve(daemon.name() + ".log");
    }

    static Optional<ProcessHandle> running(LoadedConfig config, RouterDaemon daemon) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile(config, daemon)).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The router child's JVM options; it runs on this same java, so {@code version} is this one's. */
    static List<String> jvmOptions(Runtime.Version version) {
        // A small heap that starts smaller: the router's garbage is short-lived, and its RSS is what a host counts.
        List<String> options = new ArrayList<>(List.of("-Xmx96m", "-Xms24m", "-XX:+UseSerialGC", "-Xss512k"));
        if (version.feature() > TRIM_SINCE.feature() || version.feature() == TRIM_SINCE.feature()
                && version.update() >= TRIM_SINCE.update()) {
            // glibc keeps the native memory Netty's threads freed in per-thread arenas; handing it back every 5 s kept
            // the idle router near 136 MB of RSS and flat under load (about 170 MB without, in docs/bench/routers.sh).
            options.add("-XX:TrimNativeHeapInterval=5000");
        }
        if (version.feature() >= UNSAFE_FLAG_SINCE) {
            // Netty's buffers use sun.misc.Unsafe only where the JDK allows it without a warning (from Java 25 on it
            // assumes not): without it every byte of a header goes through a bounds-checked ByteBuffer, about 0.5 µs
            // more CPU per proxied request (of about 19).
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    static Process start(LoadedConfig config, RouterDaemon daemon) throws IOException {
        Path log = logFile(config, daemon);
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("setsid", java));
        command.addAll(jvmOptions(Runtime.version()));
        command.addAll(List.of("-cp", SwitchmanJar.stableCopy(config.stateDir()), Main.class.getName(), "router", "-c",
                config.file().toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        // It outlives the CD job that ran `switchman up`, and never opens the database: no password for it.
        return ChildEnvironment.use(builder, ChildEnvironment.withoutDatabasePassword(System.getenv(),
                config.config().database().passwordEnv())).start();
    }

    /** Stops the router process this config's router kind serves, if it has one and it runs. */
    static boolean stop(LoadedConfig config, Duration grace) throws Exception {
        Optional<RouterDaemon> daemon = Wiring.routerDaemon(config);
        return daemon.isPresent() && stop(config, daemon.get(), grace);
    }

    static boolean stop(LoadedConfig config, RouterDaemon daemon, Duration grace) throws Exception {
        Optional<ProcessHandle> router = running(config, daemon);
        if (router.isEmpty()) {
            return false;
        }
        ProcessHandle handle = router.get();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().get(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(pidFile(config, daemon));
        return true;
    }

    /** Starts the router detached unless it already answers; returns whether it was started. */
    static boolean ensureRunning(LoadedConfig config, RouterDaemon daemon, Router client) throws Exception {
        if (reachable(client)) {
            return false;
        }
        waitFor(client, start(config, daemon), config, daemon, Duration.ofSeconds(30));
        return true;
    }

    static boolean reachable(Router router) {
        try {
            BaseCommand.await(router.status());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits for the router's admin API, bounded; a router that exits (say, its port is taken) ends the wait. */
    private static void waitFor(Router router, Process process, LoadedConfig config, RouterDaemon daemon, Duration bound) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new ConfigException("the router exited at start (code " + process.exitValue() + "): "
                        + tail(logFile(config, daemon)));
            }
            if (reachable(router)) {
                return;
            }
        }
        process.destroy();
        throw new ConfigException("the router did not answer within " + bound.toSeconds() + " s; see " + logFile(config, daemon));
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "see " + log;
        }
    }
}
