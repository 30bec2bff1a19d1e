package dev.switchman.config;

/**
 * How migrations run. {@code undoExpand}: whether a failed release rolls the database back to the tag taken
 * before expand (only ever while no traffic has reached green).
 */
public record MigratorConfig(String type, Boolean undoExpand) {
    public MigratorConfig {
        type = type == null ? "liquibase" : type;
        undoExpand = undoExpand == null ? Boolean.TRUE : undoExpand;
    }

    public static MigratorConfig defaults() {
        return new MigratorConfig(null, null);
    }
}
