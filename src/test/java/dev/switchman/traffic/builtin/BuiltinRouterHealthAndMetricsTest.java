package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.support.Ports;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A load balancer in front checks the router on its public port; a Prometheus on another host reads its metrics
 * on a port of their own, without the admin API that sets weights.
 */
class BuiltinRouterHealthAndMetricsTest extends RouterTestSupport {

    private RouterUnderTest router;
    private WebClient web;

    @BeforeEach
    void start() {
        router = RouterUnderTest.start(vertx, stateDir, RouterUnderTest.settings().withMetrics("127.0.0.1", Ports.free()));
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        web.close();
        router.close();
    }

    @Test
    void theHealthPathAnswers200OnlyWhileThereIsATargetAndIsNotRouted() {
        assertThat(health().statusCode()).as("before any target").isEqualTo(503);
        assertThat(health().bodyAsString()).contains("no traffic target");

        await(router.admin.setWeights(TrafficTarget.split(BLUE, List.of(router.blue.endpoint()),
                List.of(router.green.endpoint()), 0)));
        HttpResponse<Buffer> up = health();
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.bodyAsString()).isEqualTo("ok\n");
        assertThat(up.getHeader("X-Upstream")).as("answered by the router, not by a slot").isNull();
        assertThat(await(web.get(router.config.port(), "127.0.0.1", BuiltinRouterSettings.DEFAULT_HEALTH_PATH + "?lb=1")
                .send()).statusCode()).isEqualTo(200);
        assertThat(await(router.get(BuiltinRouterSettings.DEFAULT_HEALTH_PATH + "/deeper")).body())
                .as("a longer path is the application's").isEqualTo("blue");
        assertThat(router.stats(BLUE).requests()).as("health checks are not the colour's requests").isEqualTo(1);

        await(router.admin.setWeights(TrafficTarget.none()));
        assertThat(health().statusCode()).as("no colour with weight").isEqualTo(503);
    }

    @Test
    void theMetricsPortServesThePrometheusTextAndNothingElse() {
        await(router.admin.setWeights(TrafficTarget.split(BLUE, List.of(router.blue.endpoint()),
                List.of(router.green.endpoint()), 0)));
        assertThat(await(router.get("/")).status()).isEqualTo(200);
        int port = router.config.metricsPort();

        HttpResponse<Buffer> metrics = await(web.get(port, "127.0.0.1", "/metrics").send());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.bodyAsString()).contains("switchman_router_requests_total{colour=\"blue\",outcome=\"success\",version=\"\"} 1.0");
        assertThat(await(web.get(port, "127.0.0.1", "/weights").send()).statusCode())
                .as("the admin API is not there").isEqualTo(404);
        assertThat(await(web.get(port, "127.0.0.1", "/healthz").send()).statusCode()).isEqualTo(404);
    }

    @Test
    void theMetricsAreLabelledWithTheVersionEachColourRunsWhenTheTargetSays() {
        TrafficTarget target = TrafficTarget.split(BLUE, List.of(router.blue.endpoint()), List.of(router.green.endpoint()), 0);
        await(router.admin.setWeights(target.withVersion(BLUE, "1.4.2").withVersion(GREEN, "1.5.0")));
        assertThat(await(router.get("/")).status()).isEqualTo(200);
        assertThat(router.metrics())
                .contains("switchman_router_requests_total{colour=\"blue\",outcome=\"success\",version=\"1.4.2\"} 1.0")
                .contains("switchman_router_weight{colour=\"green\",version=\"1.5.0\"} 0.0");
        assertThat(await(router.admin.status()).target().version(BLUE)).isEqualTo("1.4.2");

        // The next release deploys into blue: its series are the new version's, from zero; the old one's are gone.
        await(router.admin.setWeights(target.withVersion(BLUE, "1.6.0").withVersion(GREEN, "1.5.0")));
        assertThat(router.metrics())
                .contains("switchman_router_requests_total{colour=\"blue\",outcome=\"success\",version=\"1.6.0\"} 0.0")
                .doesNotContain("1.4.2");
        assertThat(router.stats(BLUE).requests()).as("the status counts the colour, whatever its version").isEqualTo(1);

        await(router.admin.setWeights(target));
        assertThat(router.metrics()).contains("switchman_router_weight{colour=\"blue\",version=\"\"} 100.0");
    }

    private HttpResponse<Buffer> health() {
        return await(web.get(router.config.port(), "127.0.0.1", BuiltinRouterSettings.DEFAULT_HEALTH_PATH).send());
    }
}
