package dev.switchman.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A config file as written, before the kinds read their sections: the shared keys are checked here, the kind
 * sections are kept as trees only to learn their {@code type}.
 */
record ConfigFile(
        String application,
        String stateDir,
        DatabaseConfig database,
        String changelog,
        ObjectNode migrator,
        ObjectNode platform,
        ObjectNode router,
        ObjectNode health,
        String strategy,
        LintConfig lint,
        BackupConfig backup,
        MetricsConfig metrics,
        @JsonProperty("notify") NotifyConfig notifications) {

    /** The kind sections with the type each has when it names none. */
    enum Section {
        MIGRATOR("migrator", "liquibase"), PLATFORM("platform", "process"), ROUTER("router", "builtin"), HEALTH("health", "http");

        final String key;
        final String defaultType;

        Section(String key, String defaultType) {
            this.key = key;
            this.defaultType = defaultType;
        }
    }

    ObjectNode section(Section section) {
        return switch (section) {
            case MIGRATOR -> migrator;
            case PLATFORM -> platform;
            case ROUTER -> router;
            case HEALTH -> health;
        };
    }

    /** The section's {@code type}, or its default. */
    static String type(Section section, ObjectNode node) {
        JsonNode type = node == null ? null : node.get("type");
        if (type == null || type.isNull()) {
            return section.defaultType;
        }
        if (!type.isTextual() || type.asText().isBlank()) {
            throw new IllegalArgumentException(section.key + ".type must be the name of a kind, got " + type);
        }
        return type.asText().strip();
    }
}
