package dev.switchman.db;

import dev.switchman.util.AtomicFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * {@code database: embedded}: Switchman's own PostgreSQL server in {@code <stateDir>/postgres}. It is started once,
 * detached (it outlives the command that started it), found again by later commands through
 * {@code postmaster.pid}, and stopped by {@code switchman down}. It keeps the port it was first given (in
 * {@code <stateDir>/postgres.port}): slots keep the URL they were started with, so a server restarted by
 * {@code down}/{@code up} must come back where they look for it. A file lock keeps two commands from starting it at
 * once. Blocking: call from a worker or the CLI's main thread, never from an event loop.
 */
public final class EmbeddedDatabase {
    public static final String USER = "postgres";
    public static final String NAME = "postgres";

    private final Path dataDir;
    private final Path logFile;
    private final Path lockFile;
    private final Path portFile;
    private final Path binaries;
    private final Path binFile;

    public EmbeddedDatabase(Path stateDir) {
        this.dataDir = stateDir.resolve("postgres");
        this.logFile = stateDir.resolve("logs").resolve("postgres.log");
        this.lockFile = stateDir.resolve("postgres.lock");
        this.portFile = stateDir.resolve("postgres.port");
        // Beside the data they serve, not in /tmp, where a cleaner may remove them under a running server.
        this.binaries = stateDir.resolve("postgres-bin");
        this.binFile = stateDir.resolve("postgres.bin");
    }

    /** The running server, if there is one. */
    public Optional<DatabaseInfo> running() {
        return readPostmaster().filter(pm -> ProcessHandle.of(pm.pid()).map(ProcessHandle::isAlive).orElse(false)
                        && accepts(pm.port()))
                .map(pm -> new DatabaseInfo("localhost", pm.port(), NAME, USER, null));
    }

    /**
     * Where the server is, or would be once started, without starting it or choosing a port: for a command that
     * may never connect (the lint).
     */
    public DatabaseInfo expected() {
        return running().orElseGet(() -> {
            int port;
            try {
                port = keptPort().orElse(5432); // no port chosen yet: the default stands in
            } catch (IOException | IllegalStateException e) {
                port = 5432;
            }
            return new DatabaseInfo("localhost", port, NAME, USER, null);
        });
    }

    /** Returns the running server, starting it (and creating its data directory) when there is none. */
    public DatabaseInfo ensureRunning() {
        try {
            Files.createDirectories(logFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Optional<DatabaseInfo> running = running();
                if (running.isPresent()) {
                    return running.get();
                }
                int port = port();
                if (accepts(port)) {
                    throw new IllegalStateException("port " + port + " of the embedded PostgreSQL server (kept in " + portFile
                            + ", so that running slots find it again) is taken by another program: stop it, or, with every"
                            + " slot stopped ('switchman down --slots'), delete " + portFile + " to have a new port chosen");
                }
                Optional<Path> pgCtl = DetachedServer.pgCtl(binFile);
                Path start = pgCtl.isPresent() && Files.exists(dataDir.resolve("PG_VERSION")) ? pgCtl.get() : unpackAndCreate(port);
                DetachedServer.start(start, dataDir, logFile, port, Duration.ofSeconds(30));
                return running().orElseThrow(() -> new IllegalStateException(
                        "the embedded PostgreSQL server did not come up; see " + logFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server in " + dataDir
                    + " (see " + logFile + "): " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks the binaries under {@code binaries} and creates the cluster when it is new. The library does both only
     * by starting the server, with this JVM's environment: that server is stopped again at once. Returns its
     * {@code pg_ctl}, also kept in {@code postgres.bin} for the next start.
     */
    private Path unpackAndCreate(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                // The server outlives this JVM: no shutdown hook, output to a file rather than a pipe.
                .setRegisterShutdownHook(false)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setPGStartupWait(Duration.ofSeconds(30));
        DetachedServer.SETTINGS.forEach(builder::setServerConfig);
        builder.start();
        Path pgCtl = readPostmaster().flatMap(pm -> ProcessHandle.of(pm.pid())).flatMap(h -> h.info().command())
                .map(postgres -> Path.of(postgres).resolveSibling("pg_ctl"))
                .orElseThrow(() -> new IOException("cannot find the binaries of the server just started"));
        stop(Duration.ofSeconds(30));
        AtomicFiles.write(binFile, pgCtl.toString().getBytes(StandardCharsets.UTF_8));
        return pgCtl;
    }

    /** Stops the server with a fast shutdown (clients are disconnected). Returns false when none was running. */
    public boolean stop(Duration timeout) {
        Optional<Postmaster> pm = readPostmaster();
        if (pm.isEmpty() || ProcessHandle.of(pm.get().pid()).map(h -> !h.isAlive()).orElse(true)) {
            return false;
        }
        long pid = pm.get().pid();
        try {
            // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
            if (handle != null) {
                handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded PostgreSQL server (pid " + pid + ") did not stop within "
                    + timeout.toSeconds() + " s; see " + logFile, e);
        }
    }

    /** The server's port: the one it was first given, or a free one chosen (and kept) now. */
    private int port() throws IOException {
        OptionalInt kept = keptPort();
        if (kept.isPresent()) {
            return kept.getAsInt();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AtomicFiles.write(portFile, Integer.toString(port).getBytes(StandardCharsets.UTF_8));
        return port;
    }

    /** The port kept in {@code postgres.port}, if one was chosen. */
    private OptionalInt keptPort() throws IOException {
        if (!Files.exists(portFile)) {
            return OptionalInt.empty();
        }
        String text = Files.readString(portFile).strip();
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(portFile + " holds '" + text + "', not a port: delete it to have one chosen");
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    private record Postmaster(long pid, int port) {}

    private Optional<Postmaster> readPostmaster() {
        Path file = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            return Optional.of(new Postmaster(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL in " + dataDir + "";
    }
}
