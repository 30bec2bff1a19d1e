package dev.switchman.migration;

import java.util.List;

/**
 * What must hold after a migration phase (as Sqitch's verify scripts): a SQL query whose first column of its first
 * row is true, or a command that exits 0. Exactly one of them.
 */
public record SchemaCheck(String sql, List<String> command) {
    public SchemaCheck {
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** Throws naming {@code key} unless exactly one of sql and command is given. */
    void validate(String key) {
        boolean hasSql = sql != null && !sql.isBlank();
        if (hasSql == !command.isEmpty()) {
            throw new IllegalArgumentException(key + " needs exactly one of 'sql' (a query that returns true, e.g."
                    + " \"select count(*) = 0 from orders where client is null\") or 'command' (a list that exits 0)");
        }
    }
}
