package dev.switchman.health.http;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthCheckContract;
import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.ProbeLoop;
import dev.switchman.health.ProbeSchedule;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP probe judged against real servers, run in the {@link ProbeLoop} as {@code health.type: http} is. */
class HttpHealthCheckTest extends HealthCheckContract {
    private static final Clock CLOCK = Clock.systemUTC();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<HttpHealthCheck> probes = new ArrayList<>();

    @Override
    protected HealthCheck check(ProbeSchedule schedule) {
        HttpHealthCheck probe = new HttpHealthCheck(vertx, HttpHealthSettings.defaults(), CLOCK);
        probes.add(probe);
        return new ProbeLoop(vertx, schedule, probe, CLOCK);
    }

    @BeforeAll
    static void warmUp() {
        // One probe first, so that loading the HTTP client's and JSON classes does not eat a short deadline below.
        HttpServer server = await(vertx.createHttpServer().requestHandler(request -> request.response().end("{\"v\":\"v0\"}"))
                .listen(0, "127.0.0.1"));
        try (HttpHealthCheck probe = new HttpHealthCheck(vertx, config("v", null, ms(20), ms(5000), 1, ms(10_000)), CLOCK)) {
            assertThat(await(probe.probe(new Endpoint("127.0.0.1", server.actualPort()), "v0", ms(5000))).ok()).isTrue();
        }
        await(server.close());
    }

    @AfterEach
    void cleanUp() {
        probes.forEach(HttpHealthCheck::close);
        for (HttpServer server : servers) {
            await(server.close());
        }
    }

    @Test
    void passesAfterTheRequiredConsecutiveSuccesses() {
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
    void oneProbeIsOneGetJudgedByItsStatus() {
        AtomicInteger requests = new AtomicInteger();
        int port = serve(request -> {
            requests.incrementAndGet();
            request.response().setStatusCode(request.path().equals("/health") ? 503 : 200).end();
        });
        HttpHealthCheck probe = new HttpHealthCheck(vertx, config(null, null, ms(20), ms(500), 3, ms(5000)), CLOCK);
        probes.add(probe);

        Measurement measurement = await(probe.probe(new Endpoint("127.0.0.1", port), "v1", ms(500)));

        assertThat(measurement.phase()).isEqualTo(Phase.FAILURE);
        assertThat(measurement.detail()).isEqualTo("status 503 instead of 200");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aFailureResetsTheCount() {
        List<Integer> statuses = new CopyOnWriteArrayList<>(List.of(200, 503, 200, 200));
        int port = serve(request -> request.response().setStatusCode(statuses.isEmpty() ? 200 : statuses.removeFirst()).end());

        Verdict verdict = check(config(null, null, ms(20), ms(500), 3, ms(5000)), port, "v1");

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(5);
    }

    @Test
    void aServerAnswering503FailsAtTheDeadline() {
        List<Instant> times = new CopyOnWriteArrayList<>();
        int port = serve(request -> {
            times.add(Instant.now());
            request.response().setStatusCode(503).end("starting");
        });

        Instant before = Instant.now();
        Verdict verdict = check(config(null, null, ms(20), ms(500), 2, ms(800)), port, "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.FAILURE);
        // At the deadline, or on the tenth same answer (health.failures), whichever comes first here.
        assertThat(verdict.reason()).endsWith("status 503 instead of 200");
        // A probe still running at the deadline is cut short and left out of the verdict, though the server saw it.
        assertThat(verdict.probes()).isBetween(times.size() - 1, times.size()).isGreaterThan(2);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(3));
        // Backoff: the gaps between probes grow after failures (20, 40, 80, 100, 100 ms...); a loaded machine only adds.
        assertThat(Duration.between(times.get(2), times.get(3))).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    @Test
    void aJsonFieldMismatchNamesTheFieldAndBothValues() {
        int port = serve(request -> request.response().putHeader("content-type", "application/json")
                .end("{\"build\":{\"version\":\"v2\"}}"));

        Verdict verdict = check(config("build.version", null, ms(20), ms(500), 2, ms(1000)), port, "v3");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).endsWith("field 'build.version' was 'v2' expected 'v3'");
    }

    @Test
    void aJsonFieldMatchingTheExpandedValuePasses() {
        int port = serve(request -> request.response().end("{\"slot\":\"shop-v3\",\"n\":1}"));
        HttpHealthSettings config = config("slot", "{app}-{version}", ms(20), ms(500), 2, ms(5000));

        Verdict verdict = await(loop(config, CLOCK, new Placeholders(Map.of("app", "shop")))
                .check(new Endpoint("127.0.0.1", port), "v3"));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.reason()).isEqualTo("status 200, field 'slot' is 'shop-v3'");
    }

    @Test
    void anUnknownPlaceholderInTheExpectedValueIsAnErrorMeasurementNotAnException() {
        // Built without the application's placeholders, {app} has no value.
        HttpHealthSettings config = config("slot", "{app}-{version}", ms(20), ms(500), 2, ms(300));

        Verdict verdict = check(config, Ports.free(), "v3");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isPositive();
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).contains("health.expectValue", "{app}");
    }

    @Test
    void aBodyThatIsNotJsonFails() {
        int port = serve(request -> request.response().end("<html>ok</html>"));

        Verdict verdict = check(config("version", null, ms(20), ms(500), 1, ms(1000)), port, "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).contains("not a JSON object", "'version'");
    }

    @Test
    void aServerThatStartsLatePassesOnceItIsUp() {
        int port = Ports.free();
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
    void aHangingServerIsBoundedByTheTimeout() {
        AtomicInteger requests = new AtomicInteger();
        int port = serve(request -> requests.incrementAndGet()); // never answers

        HttpHealthSettings config = config(null, null, ms(50), ms(200), 1, ms(1000));

        Verdict verdict = await(loop(config, CLOCK, new Placeholders(Map.of())).check(new Endpoint("127.0.0.1", port), "v1"),
                Duration.ofSeconds(3));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).startsWith("timed out after 200ms");
        assertThat(requests.get()).isBetween(2, 5);
    }

    @Test
    void connectionRefusedGivesErrorMeasurementsAndAFailingVerdict() {
        Verdict verdict = check(config(null, null, ms(20), ms(500), 1, ms(800)), Ports.free(), "v1");

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isGreaterThan(1);
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).startsWith("connection refused by 127.0.0.1:");
    }

    @Test
    void measurementsAreStampedByTheInjectedClock() {
        int port = serve(request -> request.response().end("ok"));
        Clock tomorrow = Clock.offset(CLOCK, Duration.ofDays(1));
        HealthCheck check = loop(config(null, null, ms(20), ms(500), 1, ms(5000)), tomorrow, new Placeholders(Map.of()));

        Verdict verdict = await(check.check(new Endpoint("127.0.0.1", port), "v1"));

        assertThat(verdict.last().at()).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    // ---- helpers

    private Verdict check(HttpHealthSettings config, int port, String version) {
        return await(loop(config, CLOCK, new Placeholders(Map.of())).check(new Endpoint("127.0.0.1", port), version));
    }

    /** The check as the provider builds it: the loop on the settings' schedule around one HTTP probe. */
    private HealthCheck loop(HttpHealthSettings config, Clock clock, Placeholders placeholders) {
        HttpHealthCheck probe = new HttpHealthCheck(vertx, config, clock, placeholders);
        probes.add(probe);
        return new ProbeLoop(vertx, config.schedule(), probe, clock);
    }

    private int serve(Handler<HttpServerRequest> handler) {
        HttpServer server = await(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
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
}
