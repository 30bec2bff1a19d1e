package dev.switchman.platform.process;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.PlatformConfig;
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
    public Platform create(ProviderContext env) {
        LoadedConfig loaded = env.config();
        PlatformConfig platform = loaded.config().platform();
        return new ProcessPlatform(env.vertx(), loaded.application(), platform, loaded.stateDir(),
                loaded.resolve(platform.workingDir()), env.placeholders(), env.clock());
    }
}
