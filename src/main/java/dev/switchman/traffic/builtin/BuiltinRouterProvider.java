package dev.switchman.traffic.builtin;

import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterProvider;

/** {@code router.type: builtin}: the client of Switchman's own router process ({@link BuiltinRouterServer}). */
public final class BuiltinRouterProvider implements RouterProvider {

    @Override
    public String type() {
        return "builtin";
    }

    @Override
    public Router create(ProviderContext env) {
        return new BuiltinRouter(env.vertx(), env.config().config().router(), env.config().stateDir());
    }
}
