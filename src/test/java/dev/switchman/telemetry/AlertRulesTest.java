package dev.switchman.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.support.Ports;
import dev.switchman.support.PrometheusServer;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.BuiltinRouter;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import dev.switchman.traffic.builtin.BuiltinRouterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules: valid, passing their own unit tests (config/prometheus/switchman-rules.test.yml), and,
 * loaded into a real Prometheus scraping a real builtin router, matching the metrics that router exports.
 */
class AlertRulesTest {
    private static final Path RULES = Path.of("config/prometheus/switchman-rules.yml");
    private static final Path RULE_TESTS = Path.of("config/prometheus/switchman-rules.test.yml");

    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();
    BuiltinRouterServer router;
    PrometheusServer prometheus;

    @AfterEach
    void tearDown() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (router != null) {
            Futures.await(router.close());
        }
        Futures.await(vertx.close());
    }

    @Test
    void theRulesAreValidAndPassTheirUnitTests() throws Exception {
        Promtool.assumeInstalled();
        Promtool.Result check = Promtool.run(Path.of("."), null, "check", "rules", RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found");
        Promtool.Result test = Promtool.run(Path.of("."), null, "test", "rules", RULE_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void onARealPrometheusTheRouterRulesFollowTheBuiltinRoutersOwnMetrics() throws Exception {
        Promtool.assumeInstalled(); // the same package as prometheus
        HttpServer blue = upstream(200);
        HttpServer green = upstream(500);
        BuiltinRouterSettings settings = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(1));
        Path state = dir.resolve("state");
        router = Futures.await(BuiltinRouterServer.start(vertx, settings, state));
        // Mid-shift: half the traffic to green, which answers every request with a 500.
        Futures.await(new BuiltinRouter(vertx, settings, state).setWeights(TrafficTarget.split(Colour.BLUE,
                List.of(new Endpoint("127.0.0.1", blue.actualPort())), List.of(new Endpoint("127.0.0.1", green.actualPort())), 50)));
        String target = "127.0.0.1:" + settings.adminPort();
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), "switchman-router", List.of(target), RULES.toAbsolutePath());
        prometheus.awaitScraped(1);

        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient http = HttpClient.newHttpClient();
        Thread traffic = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.port() + "/"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    // Counted by the router, or not at all: the rules judge what it counted.
                }
            }
        });
        try {
            // Green's errors while traffic is split: the rule is active (pending for its 'for', then firing); blue's is not.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> alerts("SwitchmanColourErrorRateHigh").anyMatch(a -> "green".equals(a.getJsonObject("labels").getString("colour"))));
            assertThat(alerts("SwitchmanColourErrorRateHigh").map(a -> a.getJsonObject("labels").getString("colour")))
                    .containsExactly("green");
            assertThat(alerts("SwitchmanRouterDown")).isEmpty();
        } finally {
            running.set(false);
            traffic.join(Duration.ofSeconds(10));
        }

        Futures.await(router.close());
        router = null;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> alerts("SwitchmanRouterDown").anyMatch(a -> "firing".equals(a.getString("state"))));
        JsonObject down = alerts("SwitchmanRouterDown").findFirst().orElseThrow();
        assertThat(down.getJsonObject("labels").getString("instance")).isEqualTo(target);
        assertThat(down.getJsonObject("labels").getString("severity")).isEqualTo("critical");
        assertThat(down.getJsonObject("annotations").getString("summary")).isEqualTo(target + ": the builtin router's admin port does not answer");
    }

    /** The alerts named {@code name} that Prometheus holds now, pending or firing. */
    private Stream<JsonObject> alerts(String name) {
        return new JsonObject(prometheus.alerts()).getJsonObject("data").getJsonArray("alerts").stream()
                .map(JsonObject.class::cast)
                .filter(a -> name.equals(a.getJsonObject("labels").getString("alertname")));
    }

    private HttpServer upstream(int status) {
        return Futures.await(vertx.createHttpServer()
                .requestHandler(request -> request.response().setStatusCode(status).end("status " + status))
                .listen(0, "127.0.0.1"));
    }
}
