package dev.switchman.traffic.nginx;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterProvider;
import dev.switchman.util.ChildEnvironment;
import dev.switchman.util.ToolRunner;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@code router.type: nginx}: nginx is its own daemon; Switchman writes its include and weights file. */
public final class NginxRouterProvider implements RouterProvider {

    @Override
    public String type() {
        return "nginx";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return NginxRouterSettings.class;
    }

    @Override
    public Router create(ProviderContext ctx, Kind kind) {
        NginxRouterSettings settings = kind.settings(NginxRouterSettings.class);
        LoadedConfig config = ctx.config();
        String prefix = settings.upstreamPrefix() == null ? config.application() : settings.upstreamPrefix();
        if (!prefix.matches(NginxRouterSettings.PREFIX)) {
            throw new ConfigException("router.upstreamPrefix: the application's name '" + prefix
                    + "' cannot name nginx upstreams; set router.upstreamPrefix");
        }
        Map<String, String> env = ChildEnvironment.withoutDatabasePassword(System.getenv(),
                ctx.database() == null ? null : ctx.database().passwordEnv());
        return router(ctx.vertx(), settings, prefix, config.baseDir(),
                config.stateDir().resolve("logs").resolve(config.application() + "-nginx.log"), env, ctx.clock());
    }

    /** The router for {@code settings}, its relative paths from {@code baseDir}, nginx's output logged to {@code log}. */
    static NginxRouter router(Vertx vertx, NginxRouterSettings settings, String prefix, Path baseDir, Path log,
                              Map<String, String> env, Clock clock) {
        ToolRunner runner = new ToolRunner(baseDir, log, Duration.ofMinutes(1), null, clock);
        NginxFiles files = new NginxFiles(prefix, baseDir.resolve(settings.include()), baseDir.resolve(settings.weightsFile()));
        NginxControl control = new NginxControl(settings, baseDir.resolve(settings.pidFile()), runner, env, clock);
        return new NginxRouter(vertx, files, control, settings.drainTime());
    }
}
