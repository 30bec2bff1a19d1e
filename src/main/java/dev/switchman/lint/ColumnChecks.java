package dev.switchman.lint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** What a column definition ({@code ColumnDef}) asks of PostgreSQL when it is added to a table. */
final class ColumnChecks {
    private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");
    /**
     * Functions that are not volatile, so a default calling them is evaluated once (PostgreSQL 11's fast default)
     * instead of once per row in a rewrite. Anything else called in a default is taken as volatile: fail closed.
     */
    private static final Set<String> NOT_VOLATILE = Set.of(
            "now", "statement_timestamp", "transaction_timestamp", "current_setting", "current_database",
            "current_schema", "lower", "upper", "concat", "coalesce", "jsonb_build_object", "json_build_object",
            "jsonb_build_array", "to_jsonb", "make_interval", "make_date", "make_timestamp", "make_timestamptz");

    private ColumnChecks() {}

    static List<String> contypes(JsonObject column) {
        return Nodes.each(column, "constraints", "Constraint").stream().map(c -> c.getString("contype", "")).toList();
    }

    static boolean json(JsonObject column) {
        List<String> type = Nodes.names(column.getJsonObject("typeName", new JsonObject()).getJsonArray("names"));
        return !type.isEmpty() && type.getLast().equals("json");
    }

    static boolean serial(JsonObject column) {
        List<String> type = Nodes.names(column.getJsonObject("typeName", new JsonObject()).getJsonArray("names"));
        return (!type.isEmpty() && SERIAL.contains(type.getLast())) || contypes(column).contains("CONSTR_IDENTITY");
    }

    /** The default's expression, or null. */
    static Object defaultExpression(JsonObject column) {
        return Nodes.each(column, "constraints", "Constraint").stream()
                .filter(c -> "CONSTR_DEFAULT".equals(c.getString("contype"))).map(c -> c.getValue("raw_expr"))
                .findFirst().orElse(null);
    }

    /** Whether an expression is a constant, or built of constants and non-volatile calls. */
    static boolean notVolatile(Object expression) {
        String kind = Nodes.kind(expression);
        if (kind == null) {
            return false;
        }
        JsonObject n = ((JsonObject) expression).getJsonObject(kind);
        return switch (kind) {
            case "A_Const", "SQLValueFunction" -> true;
            case "TypeCast" -> notVolatile(n.getValue("arg"));
            case "A_Expr" -> (n.getValue("lexpr") == null || notVolatile(n.getValue("lexpr")))
                    && (n.getValue("rexpr") == null || notVolatile(n.getValue("rexpr")));
            case "A_ArrayExpr" -> all(n.getJsonArray("elements"));
            case "FuncCall" -> {
                List<String> name = Nodes.names(n.getJsonArray("funcname"));
                yield !name.isEmpty() && NOT_VOLATILE.contains(name.getLast()) && all(n.getJsonArray("args"));
            }
            default -> false;
        };
    }

    private static boolean all(JsonArray items) {
        if (items == null) {
            return true;
        }
        for (Object item : items) {
            if (!notVolatile(item)) {
                return false;
            }
        }
        return true;
    }
}
