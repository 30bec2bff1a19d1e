package dev.switchman.migration;

import dev.switchman.db.DatabaseInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What a migrator test reads back from the database, on a connection of its own. */
final class Schemas {
    private Schemas() {}

    /** The table's columns in order, whatever schema it is in. */
    static List<String> columns(DatabaseInfo db, String table) throws SQLException {
        return strings(db, "select column_name from information_schema.columns where table_name = ?"
                + " order by ordinal_position", table);
    }

    static boolean tableExists(DatabaseInfo db, String table) throws SQLException {
        return !strings(db, "select table_name from information_schema.tables where table_name = ?", table).isEmpty();
    }

    /**
     * Every relation and column outside the system schemas, then every row of the tool's history table (if it
     * exists): two equal snapshots mean nothing a migration could write was touched between them.
     */
    static List<String> snapshot(DatabaseInfo db, String historyTable) throws SQLException {
        List<String> out = new ArrayList<>(strings(db, "select n.nspname || '.' || c.relname || ' ' || c.relkind::text"
                + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1"));
        out.addAll(strings(db, "select table_schema || '.' || table_name || '.' || column_name || ' ' || data_type"
                + " from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')"
                + " order by table_schema, table_name, ordinal_position"));
        if (tableExists(db, historyTable)) {
            // The whole row as text: a rewritten checksum or date shows as well as a new row.
            out.addAll(strings(db, "select h::text from " + historyTable + " h order by 1"));
        }
        return out;
    }

    private static List<String> strings(DatabaseInfo db, String query, String... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
