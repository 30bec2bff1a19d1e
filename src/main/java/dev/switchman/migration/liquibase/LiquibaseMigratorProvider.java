package dev.switchman.migration.liquibase;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.migration.SchemaVerifier;
import dev.switchman.spi.ProviderContext;
import dev.switchman.util.ChildEnvironment;
import dev.switchman.util.ToolRunner;
import java.time.Duration;
import java.util.Map;

/** {@code migrator.type: liquibase}: changelogs run in process. */
public final class LiquibaseMigratorProvider implements MigratorProvider {
    @Override
    public String type() {
        return "liquibase";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return LiquibaseSettings.class;
    }

    @Override
    public Migrator create(ProviderContext ctx, Kind kind) {
        LiquibaseSettings settings = kind.settings(LiquibaseSettings.class);
        LoadedConfig loaded = ctx.config();
        Map<String, String> env = ChildEnvironment.forDatabaseTool(System.getenv(),
                ctx.database().libpqEnvironment(System.getenv()));
        // A check's command runs from the config's directory, its output in the migrator's log.
        ToolRunner runner = new ToolRunner(loaded.resolve("."), loaded.stateDir().resolve("logs")
                .resolve(loaded.application() + "-migrator.log"), Duration.ofMinutes(10), env.get("PGPASSWORD"), ctx.clock());
        return new LiquibaseMigrator(ctx.vertx(), ctx.database(), settings,
                new SchemaVerifier(ctx.vertx(), ctx.database(), settings.verify(), ctx.placeholders(), env, runner));
    }
}
