package dev.switchman.traffic.haproxy;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.Upstream;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A real HAProxy on the config template, one real upstream per colour, and the router driving them. */
final class HaproxyStack implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Upstream blue;
    final Upstream green;
    final HaproxyDaemon haproxy;
    final HaproxyRouter router;

    HaproxyStack(Path dir, Duration drainTimeout) {
        HaproxyDaemon.assumeInstalled();
        Upstream b = null;
        Upstream g = null;
        HaproxyDaemon h = null;
        try {
            b = Upstream.start(vertx, Colour.BLUE.id());
            g = Upstream.start(vertx, Colour.GREEN.id());
            h = HaproxyDaemon.start(dir);
        } catch (RuntimeException e) {
            blue = b;
            green = g;
            haproxy = h;
            router = null;
            close();
            throw e;
        }
        blue = b;
        green = g;
        haproxy = h;
        router = router(haproxy.socket.toString(), "app", "blue", "green", drainTimeout);
    }

    HaproxyRouter router(String socket, String backend, String blueServer, String greenServer, Duration drainTimeout) {
        return new HaproxyRouter(vertx, new HaproxyRouterSettings(socket, backend,
                new HaproxyRouterSettings.Servers(blueServer, greenServer), drainTimeout), Clock.systemUTC());
    }

    TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(Colour.BLUE, List.of(blue.endpoint()), List.of(green.endpoint()), greenWeight);
    }

    Endpoint publicAddress() {
        return haproxy.publicAddress;
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        for (Upstream upstream : new Upstream[] {blue, green}) {
            if (upstream != null) {
                await(upstream.close());
            }
        }
        await(vertx.close());
    }
}
