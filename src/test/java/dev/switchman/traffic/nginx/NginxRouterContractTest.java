package dev.switchman.traffic.nginx;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterContract;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/** Debian's nginx with njs, driven through the files Switchman writes, keeps the router contract. */
class NginxRouterContractTest extends RouterContract {

    private NginxServer nginx;

    @BeforeAll
    static void installed() {
        NginxServer.assumeInstalled();
    }

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        try {
            nginx = NginxServer.prepare(stateDir.resolve("nginx"));
            NginxRouter router = NginxRouterProvider.router(vertx, nginx.settings(), NginxServer.PREFIX, stateDir,
                    stateDir.resolve("logs/nginx.log"), System.getenv(), Clock.systemUTC());
            nginx.start(router.files());
            return router;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void stopRouter() {
        if (nginx != null) {
            nginx.stop();
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return nginx.address();
    }

    @Override
    protected boolean countsPerColour() {
        return false;
    }

    /** Random per request: 10 requests at 30 % land within 4 of 3 but for 1 run in 600 (7 or more to green: p = 0.0016). */
    @Override
    protected int splitTolerance() {
        return 4;
    }
}
