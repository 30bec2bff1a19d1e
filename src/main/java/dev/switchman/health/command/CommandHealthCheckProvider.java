package dev.switchman.health.command;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthProvider;
import dev.switchman.health.ProbeLoop;
import dev.switchman.health.SlotColours;
import dev.switchman.spi.ProviderContext;
import dev.switchman.util.ChildEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code health.type: command}: each endpoint passes when a command run for it exits 0. */
public final class CommandHealthCheckProvider implements HealthProvider {
    @Override
    public String type() {
        return "command";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return CommandHealthSettings.class;
    }

    @Override
    public HealthCheck create(ProviderContext ctx, Kind kind) {
        LoadedConfig loaded = ctx.config();
        CommandHealthSettings settings = kind.settings(CommandHealthSettings.class);
        CommandHealthCheck probe = new CommandHealthCheck(ctx.vertx(), settings, loaded.resolve(settings.workingDir()),
                ctx.placeholders(), SlotColours.of(loaded.config().platform().settings()),
                environment(System.getenv(), ctx.database().passwordEnv()),
                loaded.stateDir().resolve("logs").resolve(loaded.application() + "-health.log"), ctx.clock());
        probe.check();
        return new ProbeLoop(ctx.vertx(), settings.schedule(), probe, ctx.clock());
    }

    /** The coordinator's environment, less what a health command must not see: the database password, the router's token. */
    static Map<String, String> environment(Map<String, String> parent, String passwordEnv) {
        List<String> withheld = new ArrayList<>(List.of("PGPASSWORD", ChildEnvironment.ROUTER_TOKEN));
        if (passwordEnv != null) {
            withheld.add(passwordEnv);
        }
        return ChildEnvironment.longLived(parent, withheld);
    }
}
