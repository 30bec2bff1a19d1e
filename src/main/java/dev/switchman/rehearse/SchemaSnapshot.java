package dev.switchman.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The schema of the user's schemas as sorted lines of text, one per object, so that two readings compare line by
 * line: schemas, relations, columns (type, not null, default, identity, generated), constraints, indexes (and
 * whether they are valid), triggers, functions (with a digest of their body), view definitions, enum and domain
 * types, extensions and table grants. Not data, not comments, not column order. Blocking.
 */
public record SchemaSnapshot(List<String> lines) {
    private static final String USER = Relations.USER_SCHEMA;

    private static final List<String> QUERIES = List.of(
            "select 'schema ' || n.nspname from pg_namespace n where " + USER,
            "select case c.relkind when 'r' then 'table ' when 'p' then 'partitioned table ' when 'v' then 'view '"
                    + " when 'm' then 'materialized view ' when 'S' then 'sequence ' when 'f' then 'foreign table '"
                    + " else 'type ' end || n.nspname || '.' || c.relname"
                    + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c') and " + USER,
            "select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                    + " || case when a.attnotnull then ' not null' else '' end"
                    + " || case when a.attidentity <> '' then ' identity' else '' end"
                    + " || coalesce(case when a.attgenerated <> '' then ' generated as ' else ' default ' end"
                    + " || pg_get_expr(d.adbin, d.adrelid), '')"
                    + " from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                    + " where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and " + USER,
            "select 'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)"
                    + " from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " where " + USER,
            "select 'index ' || n.nspname || '.' || c.relname || ' ' || pg_get_indexdef(i.indexrelid)"
                    + " || case when i.indisvalid then '' else ' (invalid)' end"
                    + " from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " where " + USER,
            "select 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid)"
                    + " || case t.tgenabled when 'D' then ' (disabled)' else '' end"
                    + " from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " where not t.tgisinternal and " + USER,
            "select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
                    + " || ' (body ' || left(md5(coalesce(p.prosrc, '') || coalesce(p.probin, '')), 8) || ')'"
                    + " from pg_proc p join pg_namespace n on n.oid = p.pronamespace where " + USER
                    + " and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid"
                    + " and d.deptype = 'e')",
            "select 'view definition ' || n.nspname || '.' || c.relname || ' (' || left(md5(pg_get_viewdef(c.oid)), 8) || ')'"
                    + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('v', 'm') and " + USER,
            "select 'enum ' || n.nspname || '.' || t.typname || ' (' || string_agg(e.enumlabel, ', ' order by e.enumsortorder) || ')'"
                    + " from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid"
                    + " where " + USER + " group by n.nspname, t.typname",
            "select 'domain ' || n.nspname || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod)"
                    + " || case when t.typnotnull then ' not null' else '' end"
                    + " from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'd' and " + USER,
            "select 'extension ' || e.extname || ' ' || e.extversion from pg_extension e",
            "select 'grants ' || n.nspname || '.' || c.relname || ' ' || c.relacl::text"
                    + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relacl is not null and " + USER);

    public static SchemaSnapshot read(Connection c) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        try (Statement st = c.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rs = st.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        return new SchemaSnapshot(List.copyOf(lines));
    }

    /** What {@code other} has that this snapshot has not. */
    public List<String> missingFrom(SchemaSnapshot other) {
        List<String> out = new ArrayList<>(other.lines);
        out.removeAll(new TreeSet<>(lines));
        return out;
    }
}
