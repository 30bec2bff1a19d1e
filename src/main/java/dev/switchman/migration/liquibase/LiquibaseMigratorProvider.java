package dev.switchman.migration.liquibase;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.spi.ProviderContext;

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
        return new LiquibaseMigrator(ctx.vertx(), ctx.database(), kind.settings(LiquibaseSettings.class));
    }
}
