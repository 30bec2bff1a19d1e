package dev.switchman.config;

/**
 * One application's release configuration, as written in its YAML file. Every section is optional except
 * {@code application} and {@code platform}; defaults live in the section records. Relative paths are relative to
 * the config file's directory ({@link LoadedConfig} resolves them).
 */
public record SwitchmanConfig(
        String application,
        String stateDir,
        DatabaseConfig database,
        String changelog,
        MigratorConfig migrator,
        PlatformConfig platform,
        RouterConfig router,
        HealthConfig health,
        String strategy) {

    public SwitchmanConfig {
        if (application == null || !application.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("application is required: lower-case letters, digits, '-' and '_' (got "
                    + (application == null ? "nothing" : "'" + application + "'") + ")");
        }
        stateDir = stateDir == null ? ".switchman" : stateDir;
        database = database == null ? DatabaseConfig.embedded() : database;
        migrator = migrator == null ? MigratorConfig.defaults() : migrator;
        if (platform == null) {
            throw new IllegalArgumentException("platform is required (at least platform.command: how to start the application)");
        }
        router = router == null ? RouterConfig.defaults() : router;
        for (int slotPort : new int[] {platform.ports().blue(), platform.ports().green()}) {
            if (slotPort == router.port() || slotPort == router.adminPort()) {
                throw new IllegalArgumentException("port " + slotPort + " is both a slot's (platform.ports) and the router's"
                        + " (router.port / router.adminPort): give each its own");
            }
        }
        health = health == null ? HealthConfig.defaults() : health;
        strategy = strategy == null ? "blue-green" : strategy;
        Placeholders.check("changelog", changelog, java.util.Set.of("version", "app"));
    }
}
