package dev.switchman.traffic.haproxy;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterContract;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real HAProxy on the config template, driven through its stats socket, keeps the router contract. */
class HaproxyRouterContractTest extends RouterContract {

    private HaproxyDaemon haproxy;
    private HaproxyRouter router;

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        haproxy = HaproxyDaemon.start(stateDir.resolve("haproxy"));
        router = new HaproxyRouter(vertx, new HaproxyRouterSettings(haproxy.socket.toString(), "app",
                new HaproxyRouterSettings.Servers("blue", "green"), Duration.ofSeconds(10)), Clock.systemUTC());
        return router;
    }

    @Override
    protected void stopRouter() {
        if (router != null) {
            router.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return haproxy.publicAddress;
    }

    @Override
    protected boolean countsPerColour() {
        return true;
    }
}
