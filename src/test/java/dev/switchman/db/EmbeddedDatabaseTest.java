package dev.switchman.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Switchman's own PostgreSQL server, as `up` and `down` start and stop it. */
class EmbeddedDatabaseTest {
    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        new EmbeddedDatabase(stateDir).stop(Duration.ofSeconds(30));
    }

    @Test
    void aRestartedServerComesBackOnItsPort() throws Exception {
        // Each start in a process of its own, as 'up' after 'down' is.
        int first = startInAnotherProcess();
        EmbeddedDatabase db = new EmbeddedDatabase(stateDir);
        assertThat(db.stop(Duration.ofSeconds(30))).isTrue();
        assertThat(db.running()).isEmpty();

        // Slots started before keep the first URL: the server must be found there again.
        assertThat(startInAnotherProcess()).isEqualTo(first);
        try (Connection c = db.running().orElseThrow().open()) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    private int startInAnotherProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process start = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Start.class.getName(),
                stateDir.toString()).redirectErrorStream(true).start();
        String out = new String(start.getInputStream().readAllBytes()).strip();
        assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(start.exitValue()).as(out).isZero();
        return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).strip());
    }

    /** Starts the server of the state directory given, prints its port, and leaves it running. */
    public static final class Start {
        public static void main(String[] args) {
            System.out.println(new EmbeddedDatabase(Path.of(args[0])).ensureRunning().port());
        }
    }

    @Test
    void itsPortTakenByAnotherProgramIsNamed() throws Exception {
        EmbeddedDatabase db = new EmbeddedDatabase(stateDir);
        int port = db.ensureRunning().port();
        db.stop(Duration.ofSeconds(30));
        try (ServerSocket other = new ServerSocket(port)) {
            assertThatThrownBy(db::ensureRunning).hasMessageContaining("port " + port)
                    .hasMessageContaining(stateDir.resolve("postgres.port").toString());
        }
        assertThat(Files.readString(stateDir.resolve("postgres.port")).strip()).isEqualTo(Integer.toString(port));
    }
}
