package dev.switchman.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import dev.switchman.support.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scraping {@code switchman serve}'s /metrics with the shipped alert rules: a release the server
 * rolls back fires SwitchmanReleaseRolledBack for its application.
 */
class ServeAlertsTest {
    @TempDir
    Path dir;

    @Test
    void aReleaseRolledBackByTheServerFiresTheRolledBackAlert() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "needs Debian's prometheus (apt-get install prometheus): not on this machine");
        Files.createDirectories(dir.resolve("stack"));
        try (GreeterStack stack = new GreeterStack(dir.resolve("stack"), GreeterStack.strategy("0s", 100))) {
            stack.startRouter();
            stack.changelog("v1", ApiServerTest.CHANGELOG);
            stack.changelog("v2", ApiServerTest.CHANGELOG);
            assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
            try (Wiring wiring = Wiring.open(Kinds.loadConfig(stack.config))) {
                ApiServer api = Futures.await(ApiServer.start(wiring, new ApiOptions("127.0.0.1", 0, Optional.empty()), Progress.NONE));
                try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), "switchman",
                        List.of("127.0.0.1:" + api.port()), Path.of("config/prometheus/switchman-rules.yml"))) {
                    prometheus.awaitScraped(1);
                    // A scrape of the counters at 0 before the rollback, so that increase() sees it.
                    await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query(
                            "switchman_releases_total{outcome=\"rolled_back\"}").contains("\"0\"]"));
                    stack.fault(Colour.GREEN, "unhealthy", true);
                    HttpClient http = HttpClient.newHttpClient();
                    HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                            + "/api/releases")).POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"v2\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .until(() -> prometheus.alerts().contains("SwitchmanReleaseRolledBack"));
                    assertThat(prometheus.alerts()).contains("\"application\":\"greeter\"").contains("\"state\":\"firing\"");
                } finally {
                    Futures.await(api.stop("the test ended"));
                }
            }
        }
    }
}
