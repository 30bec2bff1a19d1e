package dev.switchman.migration.liquibase;

import dev.switchman.migration.Migrator;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.spi.ProviderContext;

/** {@code migrator.type: liquibase}. */
public final class LiquibaseMigratorProvider implements MigratorProvider {
    @Override
    public String type() {
        return "liquibase";
    }

    @Override
    public Migrator create(ProviderContext env) {
        return new LiquibaseMigrator(env.vertx(), env.database(), env.config().config().migrator());
    }
}
