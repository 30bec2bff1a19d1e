package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterContract;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;

/** The builtin router, served in this JVM and driven through its admin API, keeps the router contract. */
class BuiltinRouterContractTest extends RouterContract {

    private BuiltinRouterServer server;
    private BuiltinRouter client;

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        BuiltinRouterSettings config = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(10));
        server = await(BuiltinRouterServer.start(vertx, config, stateDir));
        client = new BuiltinRouter(vertx, config, stateDir);
        return client;
    }

    @Override
    protected void stopRouter() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            await(server.close());
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return new Endpoint("127.0.0.1", server.port());
    }

    @Override
    protected boolean countsPerColour() {
        return true;
    }
}
