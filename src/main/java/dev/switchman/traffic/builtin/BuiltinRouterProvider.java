package dev.switchman.traffic.builtin;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterDaemon;
import dev.switchman.traffic.RouterProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.util.Optional;

/** {@code router.type: builtin}: Switchman's own router process ({@link BuiltinRouterServer}) and its client. */
public final class BuiltinRouterProvider implements RouterProvider {

    @Override
    public String type() {
        return "builtin";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return BuiltinRouterSettings.class;
    }

    @Override
    public Router create(ProviderContext ctx, Kind kind) {
        return new BuiltinRouter(ctx.vertx(), kind.settings(BuiltinRouterSettings.class), ctx.config().stateDir());
    }

    @Override
    public Optional<RouterDaemon> daemon(LoadedConfig config, Kind kind) {
        BuiltinRouterSettings settings = kind.settings(BuiltinRouterSettings.class);
        Path stateDir = config.stateDir();
        return Optional.of(new RouterDaemon() {
            private String transport = "not chosen yet";

            @Override
            public Vertx newVertx() {
                Transport chosen = settings.transport().pick();
                transport = settings.transport().describe(chosen);
                return RouterTransport.vertxOn(chosen);
            }

            @Override
            public String name() {
                return "router-" + settings.port();
            }

            @Override
            public String describe() {
                return settings.host() + ":" + settings.port() + ", admin 127.0.0.1:" + settings.adminPort() + ", transport " + transport;
            }

            @Override
            public Future<Running> start(Vertx vertx) {
                return BuiltinRouterServer.start(vertx, settings, stateDir, true).map(server -> server::close);
            }
        });
    }
}
