package dev.switchman.traffic.haproxy;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterProvider;

/** {@code router.type: haproxy}: a running HAProxy, its own daemon, driven through its stats socket. */
public final class HaproxyRouterProvider implements RouterProvider {

    @Override
    public String type() {
        return "haproxy";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return HaproxyRouterSettings.class;
    }

    @Override
    public Router create(ProviderContext ctx, Kind kind) {
        return new HaproxyRouter(ctx.vertx(), kind.settings(HaproxyRouterSettings.class), ctx.clock());
    }
}
