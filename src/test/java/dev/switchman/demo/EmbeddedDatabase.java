package dev.switchman.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL server for a test class, with a fresh database per test. */
final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres server;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    static EmbeddedDatabase start(Path dataDirectory) throws Exception {
        return new EmbeddedDatabase(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .start());
    }

    /** Creates an empty database and returns its JDBC URL. */
    String newDatabase() throws SQLException {
        String name = "demo_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return server.getJdbcUrl("postgres", name);
    }

    static List<String> columns(String jdbcUrl, String table) throws SQLException {
        return strings(jdbcUrl, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    static List<String> strings(String jdbcUrl, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static void execute(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
