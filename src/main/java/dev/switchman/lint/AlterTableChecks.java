package dev.switchman.lint;

import dev.switchman.lint.StatementChecks.Hit;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Judges each command of an {@code ALTER TABLE}: what it breaks for the live version, what it locks. */
final class AlterTableChecks {
    /** Commands that take no lock worth a finding, or that only undo what a safe command did. */
    private static final Set<String> HARMLESS = Set.of(
            "AT_DropConstraint", "AT_DropNotNull", "AT_SetStatistics", "AT_SetStorage", "AT_SetOptions",
            "AT_ResetOptions", "AT_EnableTrig", "AT_DisableTrig", "AT_EnableTrigAll", "AT_DisableTrigAll",
            "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_ReplicaIdentity", "AT_ChangeOwner", "AT_SetRelOptions",
            "AT_ResetRelOptions", "AT_AttachPartition", "AT_EnableRowSecurity", "AT_DisableRowSecurity",
            "AT_ForceRowSecurity", "AT_NoForceRowSecurity", "AT_SetCompression", "AT_DropIdentity", "AT_EnableRule",
            "AT_DisableRule");

    private AlterTableChecks() {}

    static void check(JsonObject n, Scope scope, List<Hit> hits) {
        String table = Nodes.table(n.getJsonObject("relation"));
        boolean existing = !scope.isNew(table);
        for (JsonObject cmd : Nodes.each(n, "cmds", "AlterTableCmd")) {
            String column = cmd.getString("name", "");
            String subtype = cmd.getString("subtype", "");
            switch (subtype) {
                case "AT_AddColumn" -> addColumn(table, Nodes.as(cmd.getValue("def"), "ColumnDef"), existing, scope, hits);
                case "AT_DropColumn" -> {
                    if (scope.expand() && existing) {
                        hits.add(new Hit(Rule.DROP_COLUMN, table + "." + column));
                    }
                }
                case "AT_AlterColumnType" -> {
                    if (existing) {
                        hits.add(new Hit(Rule.CHANGE_COLUMN_TYPE, table + "." + column));
                    }
                }
                case "AT_SetNotNull" -> {
                    if (scope.expand() && existing) {
                        hits.add(new Hit(Rule.SET_NOT_NULL_IN_EXPAND, table + "." + column));
                    }
                    if (existing && !scope.validatedNotNull.contains(key(table, column))) {
                        hits.add(new Hit(Rule.SET_NOT_NULL_WITHOUT_CHECK, table + "." + column));
                    }
                }
                case "AT_ColumnDefault", "AT_CookedColumnDefault" -> {
                    if (cmd.getValue("def") == null && scope.expand() && existing) {
                        hits.add(new Hit(Rule.DROP_DEFAULT, table + "." + column));
                    }
                }
                case "AT_AddConstraint" -> addConstraint(table, Nodes.as(cmd.getValue("def"), "Constraint"), existing, scope, hits);
                case "AT_ValidateConstraint" -> {
                    String checked = scope.notNullChecks.get(column);
                    if (checked != null) {
                        scope.validatedNotNull.add(checked);
                    }
                }
                case "AT_DetachPartition" -> {
                    boolean concurrent = Nodes.flag(Nodes.as(cmd.getValue("def"), "PartitionCmd"), "concurrent");
                    if (!concurrent) {
                        hits.add(new Hit(Rule.DETACH_PARTITION_NOT_CONCURRENT, table));
                    }
                    StatementChecks.concurrently(concurrent, scope, "DETACH PARTITION CONCURRENTLY", hits);
                }
                case "AT_AddIdentity" -> {
                    if (existing) {
                        hits.add(new Hit(Rule.ADD_SERIAL_COLUMN, table + "." + column + " becomes an identity column"));
                    }
                }
                default -> {
                    if (!HARMLESS.contains(subtype)) {
                        hits.add(new Hit(Rule.UNRECOGNISED, "ALTER TABLE " + table + " (" + subtype + ")"));
                    }
                }
            }
        }
    }

    private static void addColumn(String table, JsonObject column, boolean existing, Scope scope, List<Hit> hits) {
        if (column == null) {
            return;
        }
        String name = table + "." + column.getString("colname", "");
        List<String> contypes = ColumnChecks.contypes(column);
        if (ColumnChecks.json(column)) {
            hits.add(new Hit(Rule.JSON_COLUMN, name + " is json"));
        }
        if (!existing) {
            return;
        }
        Object defaultValue = ColumnChecks.defaultExpression(column);
        if (ColumnChecks.serial(column)) {
            hits.add(new Hit(Rule.ADD_SERIAL_COLUMN, name));
        } else if (contypes.contains("CONSTR_GENERATED")) {
            hits.add(new Hit(Rule.GENERATED_STORED_COLUMN, name));
        } else if (defaultValue != null && !ColumnChecks.notVolatile(defaultValue)) {
            hits.add(new Hit(Rule.VOLATILE_DEFAULT, name));
        } else if (scope.expand() && contypes.contains("CONSTR_NOTNULL") && defaultValue == null) {
            hits.add(new Hit(Rule.ADD_REQUIRED_COLUMN, name));
        }
        if (contypes.contains("CONSTR_UNIQUE") || contypes.contains("CONSTR_PRIMARY")) {
            hits.add(new Hit(Rule.UNIQUE_WITHOUT_INDEX, name + " added as unique"));
        }
    }

    private static void addConstraint(String table, JsonObject constraint, boolean existing, Scope scope, List<Hit> hits) {
        if (constraint == null) {
            return;
        }
        String name = constraint.getString("conname", "");
        boolean notValid = Nodes.flag(constraint, "skip_validation");
        switch (constraint.getString("contype", "")) {
            case "CONSTR_FOREIGN", "CONSTR_CHECK" -> {
                if (existing && !notValid) {
                    hits.add(new Hit(Rule.CONSTRAINT_NOT_VALID, table + " constraint " + name));
                }
                String column = notNullColumn(constraint.getValue("raw_expr"));
                if (column != null && !name.isEmpty()) {
                    scope.notNullChecks.put(name, key(table, column));
                    if (!notValid) {
                        scope.validatedNotNull.add(key(table, column));
                    }
                }
            }
            case "CONSTR_UNIQUE", "CONSTR_PRIMARY" -> {
                if (existing && constraint.getString("indexname") == null) {
                    hits.add(new Hit(Rule.UNIQUE_WITHOUT_INDEX, table + " constraint " + name));
                }
            }
            case "CONSTR_EXCLUSION" -> {
                if (existing) {
                    hits.add(new Hit(Rule.EXCLUSION_CONSTRAINT, table + " constraint " + name));
                }
            }
            default -> { } // a default or a NOT NULL written as a constraint is judged like its column form elsewhere
        }
    }

    /** The column a {@code col IS NOT NULL} expression is about, or null. */
    private static String notNullColumn(Object expression) {
        JsonObject test = Nodes.as(expression, "NullTest");
        if (test == null || !"IS_NOT_NULL".equals(test.getString("nulltesttype"))) {
            return null;
        }
        JsonObject ref = Nodes.as(test.getValue("arg"), "ColumnRef");
        List<String> names = ref == null ? List.of() : Nodes.names(ref.getJsonArray("fields"));
        return names.isEmpty() ? null : names.getLast();
    }

    private static String key(String table, String column) {
        return Nodes.bare(table) + "." + column;
    }
}
