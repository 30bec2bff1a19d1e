package dev.switchman.db;

import dev.switchman.util.ChildEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts the embedded server with its own {@code pg_ctl}, in a session of its own and with the environment of a
 * long-lived process. The library that unpacks the binaries and creates the cluster starts the server with this
 * JVM's whole environment: a CD runner's tracking variable would reach the server, and the runner would kill the
 * database every slot uses when the job that started it ends.
 */
final class DetachedServer {
    /** The server's settings; fsync and synchronous commit on, as the database outlives any one command. */
    static final Map<String, String> SETTINGS = Map.of(
            "fsync", "on", "synchronous_commit", "on", "max_connections", "200", "timezone", "UTC");

    private DetachedServer() {}

    private static boolean asRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The {@code pg_ctl} whose path {@code binFile} keeps, if it is still there. */
    static Optional<Path> pgCtl(Path binFile) {
        try {
            return Optional.of(Path.of(Files.readString(binFile).strip())).filter(Files::isExecutable);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Starts the server on {@code port} and waits until it accepts connections, bounded by {@code wait}. */
    static void start(Path pgCtl, Path dataDir, Path logFile, int port, Duration wait) throws IOException {
        StringBuilder options = new StringBuilder("-p ").append(port);
        SETTINGS.forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
        List<String> command = new ArrayList<>(List.of("setsid"));
        if (asRoot()) {
            // PostgreSQL refuses to run as root; in a user namespace of its own it runs as an unprivileged user.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "start", "-w",
                "-t", Long.toString(wait.toSeconds()), "-D", dataDir.toString(), "-l", logFile.toString(),
                "-o", options.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        // The server needs no client password either: libpq's PGPASSWORD stays with the processes that connect.
        Process process = ChildEnvironment.use(builder, ChildEnvironment.longLived(System.getenv(), Set.of("PGPASSWORD")))
                .start();
        try {
            if (!process.waitFor(wait.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("pg_ctl did not return within " + wait.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for pg_ctl", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("pg_ctl start exited with " + process.exitValue());
        }
    }
}
