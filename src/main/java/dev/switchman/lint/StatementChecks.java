package dev.switchman.lint;

import dev.switchman.lint.pg.PgStatement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Judges one parsed statement for its phase; what it learns (tables created, transactions, NOT NULL checks) goes
 * into the {@link Scope} for the statements after it. A statement kind not known here is a finding: the lint fails
 * closed.
 */
final class StatementChecks {
    /** Statements that change no existing table's shape or locks beyond a moment: judged safe as they are. */
    private static final Set<String> HARMLESS = Set.of(
            "InsertStmt", "UpdateStmt", "DeleteStmt", "SelectStmt", "CommentStmt", "CreateSeqStmt", "AlterSeqStmt",
            "CreateFunctionStmt", "AlterFunctionStmt", "CreateTrigStmt", "ViewStmt", "CreateEnumStmt", "AlterEnumStmt",
            "CreateExtensionStmt", "AlterExtensionStmt", "GrantStmt", "GrantRoleStmt", "VariableSetStmt",
            "CreateSchemaStmt", "CompositeTypeStmt", "DefineStmt", "CreatePolicyStmt", "AlterPolicyStmt",
            "AlterOwnerStmt", "AlterDefaultPrivilegesStmt", "CreateRoleStmt", "AlterRoleStmt", "CreateDomainStmt",
            "CreateCastStmt", "CreateStatsStmt", "RuleStmt", "NotifyStmt", "CallStmt", "CreateTableAsStmt");

    record Hit(Rule rule, String detail) {}

    private StatementChecks() {}

    static List<Hit> check(PgStatement statement, Scope scope) {
        List<Hit> hits = new ArrayList<>();
        JsonObject n = statement.node();
        switch (statement.kind()) {
            case "TransactionStmt" -> transaction(n, scope);
            case "CreateStmt" -> {
                String table = Nodes.table(n.getJsonObject("relation"));
                scope.newTables.add(Nodes.bare(table));
                for (JsonObject column : Nodes.each(n, "tableElts", "ColumnDef")) {
                    if (ColumnChecks.json(column)) {
                        hits.add(new Hit(Rule.JSON_COLUMN, table + "." + column.getString("colname") + " is json"));
                    }
                }
            }
            case "IndexStmt" -> {
                String table = Nodes.table(n.getJsonObject("relation"));
                boolean concurrent = Nodes.flag(n, "concurrent");
                if (!concurrent && !scope.isNew(table)) {
                    hits.add(new Hit(Rule.INDEX_NOT_CONCURRENT, "index " + n.getString("idxname", "") + " on " + table));
                }
                concurrently(concurrent, scope, "CREATE INDEX CONCURRENTLY", hits);
            }
            case "DropStmt" -> drop(n, scope, hits);
            case "DropdbStmt" -> hits.add(new Hit(Rule.DROP_SCHEMA_OR_DATABASE, "database " + n.getString("dbname", "")));
            case "RenameStmt" -> rename(n, scope, hits);
            case "AlterTableStmt" -> AlterTableChecks.check(n, scope, hits);
            case "VacuumStmt" -> {
                boolean full = Nodes.each(n, "options", "DefElem").stream().anyMatch(o -> "full".equals(o.getString("defname")));
                if (full) {
                    hits.add(new Hit(Rule.VACUUM_FULL, "VACUUM FULL"));
                }
            }
            case "ClusterStmt" -> hits.add(new Hit(Rule.CLUSTER, "CLUSTER " + Nodes.table(n.getJsonObject("relation"))));
            case "LockStmt" -> hits.add(new Hit(Rule.LOCK_TABLE, "LOCK TABLE"));
            case "TruncateStmt" -> {
                boolean allNew = Nodes.each(n, "relations", "RangeVar").stream().allMatch(r -> scope.isNew(Nodes.table(r)));
                if (!allNew) {
                    hits.add(new Hit(Rule.TRUNCATE, "TRUNCATE"));
                }
            }
            case "ReindexStmt" -> {
                boolean concurrent = Nodes.each(n, "params", "DefElem").stream()
                        .anyMatch(p -> "concurrently".equals(p.getString("defname")));
                if (!concurrent) {
                    hits.add(new Hit(Rule.REINDEX_NOT_CONCURRENT, "REINDEX"));
                }
                concurrently(concurrent, scope, "REINDEX CONCURRENTLY", hits);
            }
            default -> {
                if (!HARMLESS.contains(statement.kind())) {
                    hits.add(new Hit(Rule.UNRECOGNISED, statement.kind()));
                }
            }
        }
        return hits;
    }

    /** A CONCURRENTLY statement must not run in a transaction: PostgreSQL refuses it. */
    static void concurrently(boolean concurrent, Scope scope, String what, List<Hit> hits) {
        if (concurrent && scope.inTransaction) {
            hits.add(new Hit(Rule.CONCURRENTLY_IN_TRANSACTION, what + " inside a transaction"));
        }
    }

    private static void transaction(JsonObject n, Scope scope) {
        switch (n.getString("kind", "")) {
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START" -> scope.inTransaction = true;
            case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_COMMIT_PREPARED",
                 "TRANS_STMT_ROLLBACK_PREPARED", "TRANS_STMT_PREPARE" -> scope.inTransaction = false;
            default -> { } // savepoints change nothing here
        }
    }

    private static void drop(JsonObject n, Scope scope, List<Hit> hits) {
        String type = n.getString("removeType", "");
        boolean concurrent = Nodes.flag(n, "concurrent");
        String objects = String.join(", ", n.getJsonArray("objects", new JsonArray()).stream()
                .map(o -> String.join(".", Nodes.names(Nodes.as(o, "List") == null ? null
                        : Nodes.as(o, "List").getJsonArray("items")))).toList());
        switch (type) {
            case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW" -> {
                if (scope.expand()) {
                    hits.add(new Hit(Rule.DROP_TABLE, "DROP " + type.substring("OBJECT_".length()) + " " + objects));
                }
            }
            case "OBJECT_INDEX" -> {
                if (!concurrent) {
                    hits.add(new Hit(Rule.DROP_INDEX_NOT_CONCURRENT, "DROP INDEX " + objects));
                }
                concurrently(concurrent, scope, "DROP INDEX CONCURRENTLY", hits);
            }
            case "OBJECT_SCHEMA" -> hits.add(new Hit(Rule.DROP_SCHEMA_OR_DATABASE, "DROP SCHEMA " + objects));
            default -> { } // functions, types, triggers, sequences: the version that uses them is out of traffic in contract
        }
    }

    private static void rename(JsonObject n, Scope scope, List<Hit> hits) {
        String table = Nodes.table(n.getJsonObject("relation"));
        if (scope.isNew(table)) {
            return;
        }
        switch (n.getString("renameType", "")) {
            case "OBJECT_COLUMN" -> hits.add(new Hit(Rule.RENAME_COLUMN, table + "." + n.getString("subname", "")
                    + " to " + n.getString("newname", "")));
            case "OBJECT_TABLE", "OBJECT_VIEW" -> hits.add(new Hit(Rule.RENAME_TABLE, table + " to " + n.getString("newname", "")));
            default -> { } // an index or a constraint: no query names them
        }
    }
}
