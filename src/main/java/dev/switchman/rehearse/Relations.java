package dev.switchman.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every relation of the user's schemas with its file ({@code pg_class.relfilenode}): PostgreSQL gives a table or
 * an index a new file when it rewrites it (ALTER COLUMN TYPE, a volatile DEFAULT, VACUUM FULL, CLUSTER, TRUNCATE),
 * so a relation whose file changed between two readings was rewritten in between. Also names the relations a lock
 * was seen on. Blocking.
 */
record Relations(Map<Long, Relation> byOid) {

    record Relation(long oid, String name, String kind, long file) {
        /** Tables, materialized views and indexes have files of their own; a partitioned parent has none. */
        boolean hasFile() {
            return file != 0 && (kind.equals("table") || kind.equals("index") || kind.equals("materialized view"));
        }
    }

    /** Schemas that are PostgreSQL's own, or the rehearsal's. */
    static final String USER_SCHEMA = "n.nspname not in ('information_schema', '" + StatementLocks.SCHEMA + "')"
            + " and n.nspname not like 'pg\\_%'";

    static Relations read(Connection c) throws SQLException {
        Map<Long, Relation> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select c.oid::bigint, n.nspname || '.' || c.relname, c.relkind::text, c.relfilenode::bigint"
                        + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where " + USER_SCHEMA
                        + " order by 2")) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Relation(rs.getLong(1), rs.getString(2), kind(rs.getString(3)), rs.getLong(4)));
            }
        }
        return new Relations(out);
    }

    /** The relations of {@code before} that have another file now: rewritten in between. */
    List<Relation> rewrittenSince(Relations before) {
        List<Relation> out = new ArrayList<>();
        for (Relation was : before.byOid.values()) {
            Relation now = byOid.get(was.oid());
            if (now != null && was.hasFile() && now.file() != was.file()) {
                out.add(now);
            }
        }
        return out;
    }

    static String kind(String relkind) {
        return switch (relkind) {
            case "r" -> "table";
            case "p" -> "partitioned table";
            case "i" -> "index";
            case "I" -> "partitioned index";
            case "S" -> "sequence";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            case "c" -> "type";
            case "t" -> "toast table";
            default -> "relation";
        };
    }
}
