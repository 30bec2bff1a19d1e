package dev.switchman.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpHealthCheckTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<HttpHealthCheck> checks = new ArrayList<>();

    @BeforeAll
    static void startVertx() throws Exception {
        vertx = Vertx.vertx();
        // One probe first, so that loading the HTTP client's and JSON classes does not eat a short deadline below.
        HttpServer server = result(vertx.createHttpServer().requestHandler(request -> request.response().end("{\"v\":\"v0\"}"))
                .listen(0, "127.0.0.1"));
        try (HttpHealthCheck check = new HttpHealthCheck(vertx, config("v", null, ms(20), ms(5000), 1, ms(10_000)), CLOCK)) {
            assertThat(result(check.check(new Endpoint("127.0.0.1", server.actualPort()), "v0")).passed()).isTrue();
        }
        result(server.close());
    }

    @AfterAll
    static void stopVertx() throws Exception {
        result(vertx.close());
    }

    @AfterEach
    void cleanUp() throws Exception {
        checks.forEach(HttpHealthCheck::close);
        for (HttpServer server : servers) {
            result(server.close());
        }
    }

    @Test
    void passesAfterTheRequiredConsecutiveSuccesses() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        int port = serve(request -> {
            requests.incrementAndGet();
            request.response().end("ok");
        });

        Verdict verdict = check(config(null, null, ms(30), ms(500), 3, ms(5000)), port, "v1");

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(3);
        assertThat(verdict.last().phase()).isEqualTo(Phase.SUCCESS);
        assertThat(verdict.last().detail()).isEqualTo("status 200");
        assertThat(requests).hasValue(3);
    }

    @Test
    void aFailureResetsTheCount() throws Exception {
        List<Integer> statuses = new CopyOnWriteArrayList<>(List.of(200, 503, 200, 200));
        int port = serve(request -> request.response().setStatusCode(statuses.isEmpty() ? 200 : statuses.removeFirst()).end());

        Verdict verdict = check(config(null, null, ms(20), ms(500), 3, ms(5000)), port, "v1");

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(5);
    }

    @Test
    void aServerAnswering503FailsAtTheDeadline() throws Exception {
        List<Instant> times = new CopyOnWriteArrayList<>();
        int port = serve(request -> {
            times.add(Instant.now());
            request.response().setStatusCode(503).end("starting");
        });

        Instant before = Instant.now();
        Verdict verdict = check(config(null, null, ms(20), ms(500), 2, ms(800)), port, "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.FAILURE);
        assertThat(verdict.reason()).isEqualTo("status 503 instead of 200");
        // A probe still running at the deadline is cut short and left out of the verdict, though the server saw it.
        assertThat(verdict.probes()).isBetween(times.size() - 1, times.size()).isGreaterThan(2);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(3));
        // Backoff: the gaps between probes grow after failures (20, 40, 80, 100, 100 ms...).
        assertThat(Duration.between(times.get(2), times.get(3))).isGreaterThan(Duration.between(times.get(0), times.get(1)));
    }

    @Test
    void aJsonFieldMismatchNamesTheFieldAndBothValues() throws Exception {
        int port = serve(request -> request.response().putHeader("content-type", "application/json")
                .end("{\"build\":{\"version\":\"v2\"}}"));

        Verdict verdict = check(config("build.version", null, ms(20), ms(500), 2, ms(1000)), port, "v3");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("field 'build.version' was 'v2' expected 'v3'");
    }

    @Test
    void aJsonFieldMatchingTheExpandedValuePasses() throws Exception {
        int port = serve(request -> request.response().end("{\"slot\":\"shop-v3\",\"n\":1}"));
        HttpHealthSettings config = config("slot", "{app}-{version}", ms(20), ms(500), 2, ms(5000));
        HttpHealthCheck check = new HttpHealthCheck(vertx, config, CLOCK, new Placeholders(Map.of("app", "shop")));
        checks.add(check);

        Verdict verdict = result(check.check(new Endpoint("127.0.0.1", port), "v3"));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.reason()).isEqualTo("status 200, field 'slot' is 'shop-v3'");
    }

    @Test
    void anUnknownPlaceholderInTheExpectedValueIsAnErrorMeasurementNotAnException() throws Exception {
        // Built without the application's placeholders, {app} has no value.
        HttpHealthSettings config = config("slot", "{app}-{version}", ms(20), ms(500), 2, ms(5000));

        Verdict verdict = check(config, freePort(), "v3");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).contains("health.expectValue", "{app}");
    }

    @Test
    void aBodyThatIsNotJsonFails() throws Exception {
        int port = serve(request -> request.response().end("<html>ok</html>"));

        Verdict verdict = check(config("version", null, ms(20), ms(500), 1, ms(1000)), port, "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).contains("not a JSON object", "'version'");
    }

    @Test
    void aServerThatStartsLatePassesOnceItIsUp() throws Exception {
        int port = freePort();
        AtomicInteger requests = new AtomicInteger();
        vertx.setTimer(300, id -> vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    request.response().end("ok");
                })
                .listen(port, "127.0.0.1")
                .onSuccess(servers::add));

        Verdict verdict = check(config(null, null, ms(30), ms(500), 2, ms(10_000)), port, "v1");

        assertThat(verdict.passed()).isTrue();
        assertThat(requests).hasValue(2);
        assertThat(verdict.probes()).isGreaterThan(2); // the refused ones before
    }

    @Test
    void aHangingServerIsBoundedByTheTimeout() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        int port = serve(request -> requests.incrementAndGet()); // never answers

        HttpHealthSettings config = config(null, null, ms(50), ms(200), 1, ms(1000));
        HttpHealthCheck check = new HttpHealthCheck(vertx, config, CLOCK);
        checks.add(check);
        CompletableFuture<Verdict> verdict = check.check(new Endpoint("127.0.0.1", port), "v1").toCompletionStage().toCompletableFuture();

        await().atMost(Duration.ofSeconds(3)).until(verdict::isDone);
        assertThat(verdict.get().passed()).isFalse();
        assertThat(verdict.get().last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.get().reason()).startsWith("timed out after");
        assertThat(requests.get()).isBetween(2, 5);
    }

    @Test
    void connectionRefusedGivesErrorMeasurementsAndAFailingVerdict() throws Exception {
        Verdict verdict = check(config(null, null, ms(20), ms(500), 1, ms(800)), freePort(), "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isGreaterThan(1);
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).startsWith("connection refused by 127.0.0.1:");
    }

    @Test
    void measurementsAreStampedByTheInjectedClock() throws Exception {
        int port = serve(request -> request.response().end("ok"));
        Clock tomorrow = Clock.offset(CLOCK, Duration.ofDays(1));
        HttpHealthCheck check = new HttpHealthCheck(vertx, config(null, null, ms(20), ms(500), 1, ms(5000)), tomorrow);
        checks.add(check);

        Verdict verdict = result(check.check(new Endpoint("127.0.0.1", port), "v1"));

        assertThat(verdict.last().at()).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    // ---- the verdict as a pure function

    @Test
    void verdictPassesOnTheLastConsecutiveSuccesses() {
        Verdict verdict = HttpHealthCheck.verdict(List.of(fail("status 503 instead of 200"), ok(), ok()), 2);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(3);
        assertThat(verdict.last().ok()).isTrue();
    }

    @Test
    void verdictFailsWithTheLastFailure() {
        Verdict verdict = HttpHealthCheck.verdict(List.of(ok(), ok(), fail("status 503 instead of 200")), 2);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("status 503 instead of 200");
    }

    @Test
    void verdictOnTooFewSuccessesSaysSoAndNamesTheLastFailure() {
        Verdict verdict = HttpHealthCheck.verdict(List.of(ok(), fail("connection refused by 127.0.0.1:1"), ok()), 3);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.FAILURE);
        assertThat(verdict.reason()).isEqualTo("only 1 of 3 consecutive probes succeeded before health.deadline; "
                + "the last failure: connection refused by 127.0.0.1:1");
        assertThat(HttpHealthCheck.verdict(List.of(ok()), 2).reason())
                .isEqualTo("only 1 of 2 consecutive probes succeeded before health.deadline");
    }

    @Test
    void verdictWithoutMeasurementsFails() {
        Verdict verdict = HttpHealthCheck.verdict(List.of(), 1);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("no probe ran");
    }

    @Test
    void backoffStartsAtTheIntervalAndIsCappedAtFiveIntervals() {
        var backoff = HttpHealthCheck.backoff(config(null, null, ms(100), ms(500), 1, ms(1000)));

        assertThat(List.of(backoff.apply(1), backoff.apply(2), backoff.apply(3), backoff.apply(4), backoff.apply(9)))
                .containsExactly(100L, 200L, 400L, 500L, 500L);
    }

    // ---- helpers

    private Verdict check(HttpHealthSettings config, int port, String version) throws Exception {
        HttpHealthCheck check = new HttpHealthCheck(vertx, config, CLOCK);
        checks.add(check);
        return result(check.check(new Endpoint("127.0.0.1", port), version));
    }

    private int serve(Handler<HttpServerRequest> handler) throws Exception {
        HttpServer server = result(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
        servers.add(server);
        return server.actualPort();
    }

    private static HttpHealthSettings config(String jsonField, String expectValue, Duration interval, Duration timeout,
                                       int successes, Duration deadline) {
        return new HttpHealthSettings("/health", 200, jsonField, expectValue, interval, timeout, successes, deadline);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Measurement ok() {
        return new Measurement(Instant.EPOCH, Phase.SUCCESS, "status 200");
    }

    private static Measurement fail(String detail) {
        return new Measurement(Instant.EPOCH, detail.startsWith("connection") ? Phase.ERROR : Phase.FAILURE, detail);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
