package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import dev.switchman.support.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A progressive release judged only by a PromQL query on a real Prometheus scraping the builtin router: the new
 * colour's share of failed requests. A version that fails once it serves traffic is rolled back during the shift,
 * with the metric in the reason and the span to all traffic back recorded; a healthy one is released.
 */
class PrometheusAnalysisTest {
    private static final Pattern SPAN = Pattern.compile("first failing measurement at (\\S+), all traffic back at (\\S+): (\\d+) ms");
    /** The router's counters, as it exports them on its admin port's /metrics. */
    private static final String ERROR_RATIO = "sum(rate(switchman_router_requests_total{colour=\"{colour}\",outcome=\"error\"}[5s]))"
            + " / sum(rate(switchman_router_requests_total{colour=\"{colour}\"}[5s]))";

    @TempDir
    Path dir;
    GreeterStack stack;
    PrometheusServer prometheus;
    volatile GreeterStack.Run result;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), List.of("127.0.0.1:" + stack.adminPort));
        prometheus.awaitScraped(1);
        stack.strategy("""
                name: prometheus
                steps:
                  - shift: 25
                  - analyse: 15s
                  - shift: 100
                bake: 3s
                analysis:
                  interval: 1s
                  metrics:
                    - type: prometheus
                      url: %s
                      query: '%s'
                      successCondition: "< 0.05"
                """.formatted(prometheus.url(), ERROR_RATIO));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        stack.close();
    }

    @Test
    void aVersionFailingUnderTrafficIsRolledBackAtTheShiftByThePrometheusQuery() throws Exception {
        // Its health endpoint stays up, so it is deployed and checked; its first served request fails.
        stack.fault(Colour.GREEN, "errors", true);
        FirstFailure failures = new FirstFailure();
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack, failures::saw)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            assertThat(release.join(Duration.ofSeconds(90))).as("the release ended").isTrue();
        }

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("shift");
        assertThat(r.reason()).contains("prometheus: green: ").contains("which fails the condition < 0.05");

        Matcher span = SPAN.matcher(result.stderr());
        assertThat(span.find()).as(result.stderr()).isTrue();
        Instant failedAt = Instant.parse(span.group(1));
        Instant backAt = Instant.parse(span.group(2));
        assertThat(Duration.between(failedAt, backAt).toMillis()).isEqualTo(Long.parseLong(span.group(3))).isNotNegative();
        // Prometheus can only have seen errors the client had already met.
        assertThat(failures.first).as("the client saw green fail").isNotNull();
        assertThat(failures.first).isBefore(failedAt);
        System.out.println("prometheus rollback: first failed request to all traffic back "
                + Duration.between(failures.first, backAt).toMillis() + " ms (first failing measurement "
                + Duration.between(failures.first, failedAt).toMillis() + " ms after it, then " + span.group(3)
                + " ms to all traffic back); the client saw " + failures.count + " failed requests");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aHealthyVersionIsReleasedWithTheSameQuery() throws Exception {
        FirstFailure failures = new FirstFailure();
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack, failures::saw)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            assertThat(release.join(Duration.ofSeconds(90))).as("the release ended").isTrue();
        }

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(result.stderr()).contains("prometheus: green: 0 (condition < 0.05)");
        assertThat(failures.count).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.get().equals("200 Hello from greeter v2"));
    }

    /** When a client first saw a request fail, and how many failed. */
    private static final class FirstFailure {
        volatile Instant first;
        volatile long count;

        synchronized void saw(String response) {
            if (!response.startsWith("200 ")) {
                first = count++ == 0 ? Instant.now() : first;
            }
        }
    }
}
