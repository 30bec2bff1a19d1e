package dev.switchman.lint;

import dev.switchman.migration.Migrator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the lint knows while it reads a release's statements in order: the phase, whether a transaction is open,
 * the tables created by the change (empty: nothing to lock or rewrite), and the NOT NULL checks added and
 * validated (a validated {@code CHECK (col IS NOT NULL)} makes {@code SET NOT NULL} skip its scan).
 */
final class Scope {
    Migrator.Phase phase;
    boolean inTransaction;
    final Set<String> newTables = new HashSet<>();
    /** A NOT VALID check constraint's name, to the "table.column" it says is not null. */
    final Map<String, String> notNullChecks = new HashMap<>();
    /** "table.column" whose NOT NULL check was validated. */
    final Set<String> validatedNotNull = new HashSet<>();

    boolean isNew(String table) {
        return newTables.contains(Nodes.bare(table));
    }

    boolean expand() {
        return phase == Migrator.Phase.EXPAND;
    }
}
