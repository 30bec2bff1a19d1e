package dev.switchman.demo;

import dev.switchman.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' shared PostgreSQL server ({@link TestDatabase}: embedded, or external with SWITCHMAN_TEST_JDBC_URL)
 * with a fresh database per call, and small query helpers.
 */
final class SharedDatabase implements AutoCloseable {

    private SharedDatabase() {}

    static SharedDatabase start(Path ignored) {
        return new SharedDatabase();
    }

    /** Creates an empty database and returns its JDBC URL. */
    String newDatabase() {
        return TestDatabase.fresh().jdbcUrl();
    }

    static List<String> columns(String jdbcUrl, String table) throws SQLException {
        return strings(jdbcUrl, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    static List<String> strings(String jdbcUrl, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(jdbcUrl);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static void execute(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        // The server is shared by the whole test JVM.
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        var server = TestDatabase.server();
        String password = server.passwordEnv() == null ? null : System.getenv(server.passwordEnv());
        return DriverManager.getConnection(jdbcUrl, server.user(), password == null ? "" : password);
    }
}
