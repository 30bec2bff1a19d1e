package dev.switchman.traffic.command;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterProvider;
import dev.switchman.util.ChildEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code router.type: command}: any router (a cloud load balancer's CLI, an HTTP admin API through curl, a script). */
public final class CommandRouterProvider implements RouterProvider {
    @Override
    public String type() {
        return "command";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return CommandRouterSettings.class;
    }

    @Override
    public Router create(ProviderContext ctx, Kind kind) {
        LoadedConfig loaded = ctx.config();
        CommandRouterSettings settings = kind.settings(CommandRouterSettings.class);
        String passwordEnv = ctx.database() == null ? null : ctx.database().passwordEnv();
        Map<String, String> parent = System.getenv();
        CommandRouter router = new CommandRouter(ctx.vertx(), settings, loaded.resolve(settings.workingDir()),
                loaded.application(), loaded.stateDir(), environment(parent, passwordEnv),
                passwordEnv == null ? null : parent.get(passwordEnv), ctx.clock());
        router.check();
        return router;
    }

    /**
     * The coordinator's environment, less what a router command must not see: the database password, and the
     * builtin router's token, which only Switchman's own router and its client need.
     */
    static Map<String, String> environment(Map<String, String> parent, String passwordEnv) {
        List<String> withheld = new ArrayList<>(List.of("PGPASSWORD", ChildEnvironment.ROUTER_TOKEN));
        if (passwordEnv != null) {
            withheld.add(passwordEnv);
        }
        return ChildEnvironment.longLived(parent, withheld);
    }
}
