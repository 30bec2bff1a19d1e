package dev.switchman.support;

import dev.switchman.db.DatabaseInfo;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests use, one per test JVM, with a fresh database per test:
 * <ul>
 *   <li>{@code SWITCHMAN_TEST_JDBC_URL} (with {@code SWITCHMAN_TEST_DB_USER}, password in {@code PGPASSWORD}): an
 *       external server, e.g. {@code jdbc:postgresql://localhost:5432/postgres};</li>
 *   <li>{@code SWITCHMAN_TEST_DATABASE=testcontainers}: a PostgreSQL container (needs a Docker engine);</li>
 *   <li>otherwise an embedded server in a temporary directory.</li>
 * </ul>
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static DatabaseInfo server;

    private TestDatabase() {}

    /** A new, empty database on the shared server. */
    public static synchronized DatabaseInfo fresh() {
        DatabaseInfo admin = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = admin.open(); Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + admin, e);
        }
        return new DatabaseInfo(admin.host(), admin.port(), name, admin.user(), admin.passwordEnv(), admin.params());
    }

    public static synchronized DatabaseInfo server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static DatabaseInfo start() {
        String url = System.getenv("SWITCHMAN_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("SWITCHMAN_TEST_DB_USER", "postgres");
            return DatabaseInfo.fromJdbcUrl(url, user, "PGPASSWORD");
        }
        if ("testcontainers".equals(System.getenv("SWITCHMAN_TEST_DATABASE"))) {
            return Containers.start();
        }
        try {
            Path dir = Files.createTempDirectory("switchman-test-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setServerConfig("max_connections", "300")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .start();
            return new DatabaseInfo("localhost", pg.getPort(), "postgres", "postgres", null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL for tests", e);
        }
    }

    /** The Testcontainers path, kept apart so that the embedded path never touches Docker. */
    static final class Containers {
        static DatabaseInfo start() {
            // The password reaches Switchman through the environment, as in production.
            String password = System.getenv("PGPASSWORD");
            if (password == null) {
                throw new IllegalStateException("set PGPASSWORD when SWITCHMAN_TEST_DATABASE=testcontainers");
            }
            var container = new PostgreSQLContainer<>("postgres:17-alpine").withPassword(password);
            container.start();
            return DatabaseInfo.fromJdbcUrl(container.getJdbcUrl(), container.getUsername(), "PGPASSWORD");
        }
    }
}
