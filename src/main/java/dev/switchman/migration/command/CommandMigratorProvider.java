package dev.switchman.migration.command;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.spi.ProviderContext;

/** {@code migrator.type: command}: any migration tool, through its own commands. */
public final class CommandMigratorProvider implements MigratorProvider {
    @Override
    public String type() {
        return "command";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return CommandSettings.class;
    }

    @Override
    public Migrator create(ProviderContext ctx, Kind kind) {
        LoadedConfig loaded = ctx.config();
        CommandSettings settings = kind.settings(CommandSettings.class);
        return new CommandMigrator(ctx.vertx(), settings, loaded.resolve(settings.workingDir()), ctx.placeholders(),
                System.getenv(), ctx.database(),
                loaded.stateDir().resolve("logs").resolve(loaded.application() + "-migrator.log"), ctx.clock());
    }
}
