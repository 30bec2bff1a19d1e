package dev.switchman.health.prometheus;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Subject;
import dev.switchman.model.Colour;
import dev.switchman.support.Ports;
import dev.switchman.support.PrometheusServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries against a real Prometheus scraping a small exporter: a value judged by the condition, the subject's
 * placeholders in the query, no data, several series, and Prometheus's own error text; then a server that sends no
 * answer, one that is not there, and the bearer token (sent, never shown).
 */
class PrometheusQueryTest {
    private static final Subject GREEN_V2 = new Subject("shop", Colour.GREEN, "v2", Colour.BLUE, "v1");
    private static final String METRICS = """
            # TYPE demo_errors gauge
            demo_errors{app="shop",colour="green",version="v2"} 3
            demo_errors{app="shop",colour="blue",version="v1"} 1
            """;

    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer exporter;
    static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        exporter = await(vertx.createHttpServer()
                .requestHandler(r -> r.response().putHeader("content-type", "text/plain; version=0.0.4").end(METRICS))
                .listen(0, "127.0.0.1"));
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), List.of("127.0.0.1:" + exporter.actualPort()));
        prometheus.awaitScraped(1);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        await(vertx.close());
    }

    private static Measurement measure(String url, String query, String condition, Map<String, String> env, String tokenEnv) {
        PrometheusQuery metric = new PrometheusQuery(vertx, new PrometheusMetricSettings(url, query, condition,
                Duration.ofSeconds(2), tokenEnv), Clock.systemUTC(), env::get);
        return await(await(metric.open(GREEN_V2)).measure());
    }

    private static Measurement measure(String query, String condition) {
        return measure(prometheus.url(), query, condition, Map.of(), null);
    }

    @Test
    void theSubjectsValueIsJudgedByTheCondition() {
        String query = "sum(demo_errors{app=\"{app}\",colour=\"{colour}\",version=\"{version}\"})"
                + " - sum(demo_errors{colour=\"{live.colour}\",version=\"{live.version}\"})";
        Measurement pass = measure(query, "< 5");
        assertThat(pass.phase()).as(pass.detail()).isEqualTo(Phase.SUCCESS);
        assertThat(pass.detail()).isEqualTo("green: 2 (condition < 5)");

        Measurement fail = measure(query, "<= 1");
        assertThat(fail.phase()).isEqualTo(Phase.FAILURE);
        assertThat(fail.detail()).isEqualTo("green: 2, which fails the condition <= 1");
    }

    @Test
    void aQueryWithoutDataIsInconclusive() {
        assertThat(measure("sum(demo_missing{colour=\"{colour}\"})", "< 1").phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(measure("sum(demo_errors{colour=\"{colour}\"}) / 0 * 0", "< 1").phase())
                .as("0/0 is NaN").isEqualTo(Phase.INCONCLUSIVE);
    }

    @Test
    void severalSeriesAndPrometheusErrorsAreErrors() {
        Measurement several = measure("demo_errors", "< 5");
        assertThat(several.phase()).isEqualTo(Phase.ERROR);
        assertThat(several.detail()).contains("returned 2 series");

        Measurement bad = measure("sum(rate(demo_errors[1m]", "< 5");
        assertThat(bad.phase()).isEqualTo(Phase.ERROR);
        assertThat(bad.detail()).startsWith("green: Prometheus answered 400, bad_data: ").contains("parse error");
    }

    @Test
    void aServerThatDoesNotAnswerOrIsNotThereIsAnError() {
        HttpServer silent = await(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1"));
        try {
            Measurement m = measure("http://127.0.0.1:" + silent.actualPort(), "up", "< 1", Map.of(), null);
            assertThat(m.phase()).isEqualTo(Phase.ERROR);
            assertThat(m.detail()).contains("did not answer within 2s (timeout)");
        } finally {
            await(silent.close());
        }
        Measurement gone = measure("http://127.0.0.1:" + Ports.free(), "up", "< 1", Map.of(), null);
        assertThat(gone.phase()).isEqualTo(Phase.ERROR);
        assertThat(gone.detail()).contains("connection refused by Prometheus at http://127.0.0.1:");
    }

    @Test
    void theTokenIsSentAsABearerAndNeverShown() {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer guarded = await(vertx.createHttpServer().requestHandler(r -> {
            seen.set(r.getHeader("Authorization"));
            r.response().setStatusCode(401).end("{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"token refused\"}");
        }).listen(0, "127.0.0.1"));
        try {
            String url = "http://127.0.0.1:" + guarded.actualPort();
            Measurement m = measure(url, "up", "< 1", Map.of("PROM_TOKEN", "s3cret-token"), "PROM_TOKEN");
            assertThat(seen.get()).isEqualTo("Bearer s3cret-token");
            assertThat(m.phase()).isEqualTo(Phase.ERROR);
            assertThat(m.detail()).contains("401, unauthorized: token refused").doesNotContain("s3cret");

            Measurement unset = measure(url, "up", "< 1", Map.of(), "PROM_TOKEN");
            assertThat(unset.phase()).isEqualTo(Phase.ERROR);
            assertThat(unset.detail()).isEqualTo("green: tokenEnv names PROM_TOKEN, which is not set in this environment");
        } finally {
            await(guarded.close());
        }
    }
}
