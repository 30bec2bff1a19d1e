package dev.switchman.migration;

import dev.switchman.config.Placeholders;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code migrator.verify}: the checks run after expand (a failure rolls the release back, expand undone) and after
 * contract (a failure is reported: past the point of no return, a person must act). Either may be absent.
 */
public record SchemaChecks(SchemaCheck expand, SchemaCheck contract) {
    /** The placeholders a check's command may use: a migrator's, but the schema's revision. */
    static final Set<String> PLACEHOLDERS = placeholders();

    public SchemaChecks {
        check("migrator.verify.expand", expand);
        check("migrator.verify.contract", contract);
    }

    public static SchemaChecks none() {
        return new SchemaChecks(null, null);
    }

    public SchemaCheck after(Migrator.Phase phase) {
        return phase == Migrator.Phase.EXPAND ? expand : contract;
    }

    private static void check(String key, SchemaCheck check) {
        if (check == null) {
            return;
        }
        check.validate(key);
        for (int i = 0; i < check.command().size(); i++) {
            Placeholders.check(key + ".command[" + i + "]", check.command().get(i), PLACEHOLDERS);
        }
    }

    private static Set<String> placeholders() {
        Set<String> names = new HashSet<>(Placeholders.MIGRATOR);
        names.remove("schema.before");
        return Set.copyOf(names);
    }
}
