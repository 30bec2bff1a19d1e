package dev.switchman.lint;

import dev.switchman.migration.Migrator;

/**
 * One unsafe statement: the rule, where it is written (file, line, the change's id and author), its phase, what
 * the lint saw, and — when a person accepted it for that change — the reason they gave.
 */
public record Finding(Rule rule, String file, int line, String change, String author, Migrator.Phase phase,
                      String detail, String accepted) {

    public boolean isAccepted() {
        return accepted != null;
    }

    Finding accept(String reason) {
        return new Finding(rule, file, line, change, author, phase, detail, reason);
    }
}
