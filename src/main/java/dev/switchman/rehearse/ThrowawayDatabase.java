package dev.switchman.rehearse;

import dev.switchman.db.DatabaseInfo;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for one rehearsal: zonky's embedded binaries (PostgreSQL 18; as root the library runs it in a
 * user namespace of its own), a new cluster in a temporary directory, on a free port, listening on localhost only.
 * Nothing in it must survive, so it runs without fsync; autovacuum is off, so that no background session takes a
 * lock the observation would count. {@link #close} stops it and deletes the directory, whatever happened before; a
 * shutdown hook does the same when the JVM is ended by a signal. It shares nothing with the application's
 * database. Blocking.
 */
public final class ThrowawayDatabase implements AutoCloseable {
    private final Path dir;
    private final EmbeddedPostgres server;
    private final DatabaseInfo database;
    private final Thread hook;
    private boolean closed;

    private ThrowawayDatabase(Path dir, EmbeddedPostgres server) {
        this.dir = dir;
        this.server = server;
        this.database = new DatabaseInfo("localhost", server.getPort(), "postgres", "postgres", null);
        this.hook = new Thread(this::close, "switchman-throwaway-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static ThrowawayDatabase start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("switchman-rehearse-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the throwaway PostgreSQL server: " + e.getMessage(), e);
        }
        Path log = dir.resolve("postgres.log");
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("autovacuum", "off")
                    .setServerConfig("max_connections", "50")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            return new ThrowawayDatabase(dir, server);
        } catch (IOException | RuntimeException e) {
            String tail = tail(log);
            delete(dir);
            throw new IllegalStateException("cannot start a throwaway PostgreSQL server: " + e.getMessage()
                    + (tail.isEmpty() ? "" : "; its log ends:\n" + tail), e);
        }
    }

    public DatabaseInfo database() {
        return database;
    }

    /** A directory that goes with the server, for logs of what ran against it. */
    public Path dir() {
        return dir;
    }

    public String serverVersion() {
        try (Connection c = database.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_setting('server_version')")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Stops the server (fast: sessions are ended) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            // the directory goes anyway; a server that did not stop has lost its files and ends by itself
        } finally {
            delete(dir);
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone, or never made
        }
    }
}
