package dev.switchman.store;

import dev.switchman.db.LiquibaseRunner;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import liquibase.Contexts;
import liquibase.LabelExpression;

/**
 * Switchman's own schema, {@code switchman}, created and upgraded by its own changelog. The changelog's hash is
 * kept in {@code switchman.schema_version}, so a command whose schema is current skips Liquibase. Blocking: called
 * by the store on a worker, on the store's connection.
 */
final class StoreSchema {
    static final String NAME = "switchman";
    private static final String CHANGELOG = "db/switchman/changelog.xml";
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INVALID_SCHEMA_NAME = "3F000";

    private StoreSchema() {}

    /** Creates or upgrades the schema on {@code c}, leaving it in auto-commit mode as the store expects. */
    static void migrate(Connection c) throws Exception {
        String hash = changelogHash();
        if (hash.equals(appliedHash(c))) {
            return; // up to date: no need to start Liquibase, the slowest part of a short command
        }
        try (Statement st = c.createStatement()) {
            st.execute("create schema if not exists " + NAME);
        }
        LiquibaseRunner.run(c, "classpath:" + CHANGELOG, NAME, liquibase -> {
            liquibase.update(new Contexts(), new LabelExpression());
            return null;
        });
        c.setAutoCommit(true);
        try (Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("insert into switchman.schema_version values (?)")) {
            st.execute("delete from switchman.schema_version");
            insert.setString(1, hash);
            insert.execute();
        }
    }

    /** Whether the schema on {@code c} is the one this build's changelog makes (a newer build may have upgraded it). */
    static boolean current(Connection c) throws Exception {
        return changelogHash().equals(appliedHash(c));
    }

    private static String appliedHash(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select changelog_sha256 from switchman.schema_version")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState()) || INVALID_SCHEMA_NAME.equals(e.getSQLState())) {
                return null; // no schema yet
            }
            throw e;
        }
    }

    private static String changelogHash() throws Exception {
        try (InputStream in = StoreSchema.class.getClassLoader().getResourceAsStream(CHANGELOG)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
