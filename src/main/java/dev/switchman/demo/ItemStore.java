package dev.switchman.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The demo's table {@code items}, through a small connection pool. Every method blocks: call it from a worker
 * ({@code vertx.executeBlocking}), never from an event loop. The title lives in the column {@code name} for v1
 * and {@code title} from v2 on; the JSON field is {@code title} in every version.
 */
final class ItemStore implements AutoCloseable {
    static final int LIST_LIMIT = 50;

    private final HikariDataSource pool;
    private final String column;

    ItemStore(DemoSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("demo-" + settings.version());
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        if (settings.dbPassword() != null) {
            config.setPassword(settings.dbPassword());
        }
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        // Start even when the database is down: /health then answers 503 until it is back.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", "switchman-demo-" + settings.version());
        config.addDataSourceProperty("connectTimeout", "2");
        this.pool = new HikariDataSource(config);
        this.column = settings.titleColumn();
    }

    void ping() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
        }
    }

    JsonArray list() throws SQLException {
        String sql = "select id, " + column + " from items order by id desc limit " + LIST_LIMIT;
        JsonArray items = new JsonArray();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                items.add(item(rs));
            }
        }
        return items;
    }

    Optional<JsonObject> find(long id) throws SQLException {
        String sql = "select id, " + column + " from items where id = ?";
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(item(rs)) : Optional.empty();
            }
        }
    }

    JsonObject create(String title) throws SQLException {
        String sql = "insert into items (" + column + ") values (?) returning id, " + column;
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, title);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return item(rs);
            }
        }
    }

    private static JsonObject item(ResultSet rs) throws SQLException {
        return new JsonObject().put("id", rs.getLong(1)).put("title", rs.getString(2));
    }

    @Override
    public void close() {
        pool.close();
    }
}
