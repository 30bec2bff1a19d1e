package dev.switchman.lint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading libpg_query's parse tree: a node is {@code {"Kind": {fields}}}; a field that is false, zero or empty is
 * left out, so a missing boolean is false.
 */
final class Nodes {
    private Nodes() {}

    /** The fields of {@code wrapped} if it is a node of {@code kind}, else null. */
    static JsonObject as(Object wrapped, String kind) {
        return wrapped instanceof JsonObject node ? node.getJsonObject(kind) : null;
    }

    /** The one kind a wrapped node is, or null. */
    static String kind(Object wrapped) {
        return wrapped instanceof JsonObject node && node.size() == 1 ? node.fieldNames().iterator().next() : null;
    }

    static boolean flag(JsonObject fields, String name) {
        return fields != null && fields.getBoolean(name, false);
    }

    /** The wrapped nodes of an array field, each unwrapped to the fields of {@code kind} (others skipped). */
    static List<JsonObject> each(JsonObject fields, String array, String kind) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray items = fields == null ? null : fields.getJsonArray(array);
        if (items != null) {
            for (Object item : items) {
                JsonObject node = as(item, kind);
                if (node != null) {
                    out.add(node);
                }
            }
        }
        return out;
    }

    /** The strings of a list of {@code String} nodes, e.g. a qualified name ["pg_catalog", "int8"]. */
    static List<String> names(JsonArray items) {
        List<String> out = new ArrayList<>();
        if (items != null) {
            for (Object item : items) {
                JsonObject string = as(item, "String");
                if (string != null) {
                    out.add(string.getString("sval", ""));
                }
            }
        }
        return out;
    }

    /** A RangeVar's table name, schema-qualified when it is. */
    static String table(JsonObject rangeVar) {
        if (rangeVar == null) {
            return "?";
        }
        String schema = rangeVar.getString("schemaname");
        String name = rangeVar.getString("relname", "?");
        return schema == null ? name : schema + "." + name;
    }

    /** The table a name was written as, without a schema: how the lint tracks tables created in the same change. */
    static String bare(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }
}
