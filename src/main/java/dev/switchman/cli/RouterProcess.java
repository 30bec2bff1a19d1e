package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.release.SwitchmanJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starts {@code switchman router} detached (own session, output to a log file) and stops it by its pid file. */
final class RouterProcess {
    private RouterProcess() {}

    static Path pidFile(LoadedConfig config) {
        return config.stateDir().resolve("router-" + config.config().router().port() + ".pid");
    }

    static Path logFile(LoadedConfig config) {
        return config.stateDir().resolve("logs").resolve("router-" + config.config().router().port() + ".log");
    }

    static Optional<ProcessHandle> running(LoadedConfig config) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile(config)).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Process start(LoadedConfig config) throws IOException {
        Path log = logFile(config);
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of("setsid", java, "-Xmx96m", "-XX:+UseSerialGC", "-Xss512k",
                "-cp", SwitchmanJar.path(), Main.class.getName(), "router", "-c", config.file().toAbsolutePath().toString());
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    static boolean stop(LoadedConfig config, Duration grace) throws Exception {
        Optional<ProcessHandle> router = running(config);
        if (router.isEmpty()) {
            return false;
        }
        ProcessHandle handle = router.get();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().get(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(pidFile(config));
        return true;
    }
}
