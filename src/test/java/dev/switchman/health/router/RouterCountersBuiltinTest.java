package dev.switchman.health.router;

import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider.Window;
import dev.switchman.health.Subject;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.BuiltinRouter;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import dev.switchman.traffic.builtin.BuiltinRouterSettings;
import dev.switchman.traffic.builtin.RouterTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows over the builtin router's counters, with real requests through it to an upstream that fails on demand. */
class RouterCountersBuiltinTest {
    private Vertx vertx;
    private HttpServer upstream;
    private WebClient client;

    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        vertx = RouterTransport.vertxOn(RouterTransport.AUTO.pick()); // what the router process runs on
        upstream = await(vertx.createHttpServer()
                .requestHandler(request -> request.response().setStatusCode(request.path().equals("/fail") ? 500 : 200).end())
                .listen(0, "127.0.0.1"));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        client.close();
        await(vertx.close());
    }

    @Test
    void judgesOnlyTheRequestsServedSinceTheWindowOpened() {
        BuiltinRouterSettings settings = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(5));
        BuiltinRouterServer server = await(BuiltinRouterServer.start(vertx, settings, stateDir));
        BuiltinRouter router = new BuiltinRouter(vertx, settings, stateDir);
        try {
            Endpoint green = new Endpoint("127.0.0.1", upstream.actualPort());
            await(router.setWeights(TrafficTarget.all(GREEN, List.of(green), List.of())));
            send(server.port(), "/fail", 3); // before the window: not judged
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(router.status()).stats(GREEN).errors() == 3);

            Window window = await(new RouterCounters(router, 0.1, 0, Clock.systemUTC()).open(new Subject("app", GREEN, "v2", null, null)));
            send(server.port(), "/", 8);
            send(server.port(), "/fail", 2);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(window.measure()).detail(),
                    detail -> detail.equals("green: 2 errors in 10 requests (20.0%, limit 10.0%)"));
            assertThat(await(window.measure()).phase()).isEqualTo(Phase.FAILURE);
        } finally {
            router.close();
            await(server.close());
        }
    }

    @Test
    void aRouterThatIsNotRunningGivesAnErrorNamingIt() {
        BuiltinRouterSettings settings = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(5));
        BuiltinRouter router = new BuiltinRouter(vertx, settings, stateDir);
        try {
            Window window = await(new RouterCounters(router, 0.1, 0, Clock.systemUTC()).open(new Subject("app", GREEN, "v2", null, null)));

            Measurement measurement = await(window.measure());

            assertThat(measurement.phase()).isEqualTo(Phase.ERROR);
            assertThat(measurement.detail()).startsWith("green: cannot read the router's counters at the start of the window: "
                    + "the builtin router is not running (admin API 127.0.0.1:" + settings.adminPort() + ")");
        } finally {
            router.close();
        }
    }

    private void send(int port, String path, int times) {
        for (int i = 0; i < times; i++) {
            int expected = path.equals("/fail") ? 500 : 200;
            assertThat(await(client.get(port, "127.0.0.1", path).send()).statusCode()).isEqualTo(expected);
        }
    }
}
