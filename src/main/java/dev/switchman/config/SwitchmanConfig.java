package dev.switchman.config;

import java.util.Set;

/**
 * One application's release configuration, validated. Every section is optional except {@code application};
 * the kind sections ({@code platform}, {@code router}, {@code migrator}, {@code health}) are read and validated
 * by their kind; {@code backup}, {@code metrics} and {@code notifications} (the {@code notify} section) are null when the config has no such section. Relative paths
 * are relative to the config file's directory ({@link LoadedConfig} resolves them); {@code stateDir} is null when
 * the config names none: the host's directory for the application ({@link HostState}).
 */
public record SwitchmanConfig(
        String application,
        String stateDir,
        DatabaseConfig database,
        String changelog,
        Kind migrator,
        Kind platform,
        Kind router,
        Kind health,
        String strategy,
        LintConfig lint,
        BackupConfig backup,
        MetricsConfig metrics,
        NotifyConfig notifications) {

    /** A config without a lint, backup or metrics section. */
    public SwitchmanConfig(String application, String stateDir, DatabaseConfig database, String changelog, Kind migrator,
                           Kind platform, Kind router, Kind health, String strategy) {
        this(application, stateDir, database, changelog, migrator, platform, router, health, strategy, null, null, null, null);
    }

    public SwitchmanConfig {
        lint = lint == null ? LintConfig.none() : lint;
        if (application == null || !application.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("application is required: lower-case letters, digits, '-' and '_' (got "
                    + (application == null ? "nothing" : "'" + application + "'") + ")");
        }
        database = database == null ? DatabaseConfig.embedded() : database;
        strategy = strategy == null ? "blue-green" : strategy;
        Placeholders.check("changelog", changelog, Set.of("version", "app"));
    }
}
