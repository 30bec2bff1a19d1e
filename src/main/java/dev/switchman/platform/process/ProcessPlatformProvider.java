package dev.switchman.platform.process;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.platform.Platform;
import dev.switchman.platform.PlatformProvider;
import dev.switchman.spi.ProviderContext;

/** {@code platform.type: process}: slots are local processes, detached from the coordinator. */
public final class ProcessPlatformProvider implements PlatformProvider {

    @Override
    public String type() {
        return "process";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return ProcessSettings.class;
    }

    @Override
    public Platform create(ProviderContext ctx, Kind kind) {
        LoadedConfig loaded = ctx.config();
        ProcessSettings settings = kind.settings(ProcessSettings.class);
        return new ProcessPlatform(ctx.vertx(), loaded.application(), settings, loaded.stateDir(),
                loaded.resolve(settings.workingDir()), ctx.placeholders(), ctx.clock(), System.getenv(),
                ctx.database().libpqEnvironment(System.getenv()));
    }
}
