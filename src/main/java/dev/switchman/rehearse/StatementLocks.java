package dev.switchman.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The locks the migrating session itself holds at the end of each DDL statement, written down by an event trigger
 * ({@code ddl_command_end}) installed on the throwaway database in a schema of its own. A table lock is kept until
 * the transaction ends, so what the session holds when a statement ends is every lock the transaction took so far:
 * unlike sampling from outside, this cannot miss a short statement. It sees DDL only (no trigger fires for DML,
 * nor for a statement that failed: its transaction and the rows written are rolled back), and a lock that a
 * non-transactional statement (CREATE INDEX CONCURRENTLY) took and released before its end. Blocking.
 */
final class StatementLocks {
    static final String SCHEMA = "switchman_rehearsal";

    record Row(long seq, long relation, String name, String kind, String mode, String statement) {}

    private StatementLocks() {}

    /**
     * Creates the schema, the table, the function (security definer: it writes whatever role the migration runs as)
     * and the event trigger. Needs a superuser, which the throwaway's user is.
     */
    static void install(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create schema " + SCHEMA);
            st.execute("create unlogged table " + SCHEMA + ".held (seq bigserial primary key, relation bigint not null,"
                    + " name text, relkind text, mode text not null, statement text)");
            st.execute("create function " + SCHEMA + ".record_held() returns event_trigger language plpgsql"
                    + " security definer set search_path = pg_catalog as $$ begin"
                    + " insert into " + SCHEMA + ".held (relation, name, relkind, mode, statement)"
                    + " select l.relation::bigint, n.nspname || '.' || c.relname, c.relkind::text, l.mode, current_query()"
                    + " from pg_locks l left join pg_class c on c.oid = l.relation"
                    + " left join pg_namespace n on n.oid = c.relnamespace"
                    + " where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted"
                    + " and l.database = (select oid from pg_database where datname = current_database())"
                    + " and (n.nspname is null or (" + Relations.USER_SCHEMA + "));"
                    + " end $$");
            st.execute("create event trigger switchman_rehearsal_held on ddl_command_end execute function "
                    + SCHEMA + ".record_held()");
        }
    }

    /** The last row written so far: {@link #since} it are a phase's. */
    static long mark(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select coalesce(max(seq), 0) from "
                + SCHEMA + ".held")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Row> since(Connection c, long mark) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (var ps = c.prepareStatement("select seq, relation, name, relkind, mode, statement from " + SCHEMA
                + ".held where seq > ? order by seq")) {
            ps.setLong(1, mark);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            rs.getString(4) == null ? null : Relations.kind(rs.getString(4)), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }
}
