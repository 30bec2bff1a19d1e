package dev.switchman.health;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HealthCheck} kind must do, against a real HTTP server the contract starts (healthy: any path
 * answers 200 with {@code {"version":"v1"}}) or a port nothing listens on. A kind's test extends this and builds
 * its check as its provider does, so the gates and the analysis can rely on the same verdicts and measurements
 * whatever probes.
 */
public abstract class HealthCheckContract {
    protected static final String VERSION = "v1";
    protected static Vertx vertx;

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    /** Connections the healthy servers accepted, and of those the ones still open. */
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    /** The check under test on {@code schedule}, built as its provider builds it. */
    protected abstract HealthCheck check(ProbeSchedule schedule);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @AfterEach
    void stopServers() {
        for (HttpServer server : servers) {
            await(server.close());
        }
    }

    @Test
    void passesAHealthyEndpointAfterTheRequiredSuccesses() {
        Endpoint endpoint = healthy();

        Verdict verdict = await(check(schedule(20, 2000, 3, 10_000)).check(endpoint, VERSION));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(3);
        assertThat(verdict.last().phase()).isEqualTo(Phase.SUCCESS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accepted).hasValue(3));
    }

    @Test
    void failsADeadEndpointAtTheDeadline() {
        Duration deadline = Duration.ofMillis(700);
        Instant before = Instant.now();

        Verdict verdict = await(check(new ProbeSchedule(Duration.ofMillis(20), Duration.ofMillis(300), 1, deadline))
                .check(dead(), VERSION));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isGreaterThan(1);
        assertThat(verdict.last().phase()).isNotEqualTo(Phase.SUCCESS);
        assertThat(verdict.reason()).isNotBlank();
        // Not before the deadline (it waits for a slot still starting), nor long after it.
        assertThat(Duration.between(before, Instant.now()))
                .isGreaterThanOrEqualTo(deadline.minusMillis(5))
                .isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void waitsForASlotThatStartsLate() {
        int port = Ports.free();
        vertx.setTimer(300, id -> listen(port));

        Verdict verdict = await(check(schedule(30, 1000, 2, 10_000)).check(new Endpoint("127.0.0.1", port), VERSION));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isGreaterThan(2); // the refused ones before
    }

    @Test
    void oneProbeOfAHealthyEndpointSucceeds() {
        Measurement measurement = await(check(schedule(20, 2000, 3, 10_000)).probe(healthy(), VERSION));

        assertThat(measurement.phase()).isEqualTo(Phase.SUCCESS);
        // The server may see the connection after the client saw it open.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accepted).hasValue(1));
    }

    @Test
    void oneProbeOfADeadEndpointIsAMeasurementNotAFailedFuture() {
        Measurement measurement = await(check(schedule(20, 1000, 3, 10_000)).probe(dead(), VERSION));

        assertThat(measurement.phase()).isIn(Phase.ERROR, Phase.FAILURE);
        assertThat(measurement.detail()).isNotBlank();
    }

    @Test
    void probesLeaveNoConnectionOpen() {
        Endpoint endpoint = healthy();
        HealthCheck check = check(schedule(20, 2000, 3, 10_000));

        for (int i = 0; i < 10; i++) {
            assertThat(await(check.probe(endpoint, VERSION)).phase()).isEqualTo(Phase.SUCCESS);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(accepted).hasValue(10);
            assertThat(open).hasValue(0);
        });
    }

    // ---- fixtures

    /** A healthy server's endpoint. */
    protected Endpoint healthy() {
        return new Endpoint("127.0.0.1", await(listen(0)));
    }

    /** An endpoint nothing listens on. */
    protected static Endpoint dead() {
        return new Endpoint("127.0.0.1", Ports.free());
    }

    private Future<Integer> listen(int port) {
        // Without h2c the server knows the protocol at once, so it sees a connection that sends nothing too.
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .connectionHandler(connection -> {
                    accepted.incrementAndGet();
                    open.incrementAndGet();
                    connection.closeHandler(v -> open.decrementAndGet());
                })
                .requestHandler(request -> request.response().putHeader("content-type", "application/json")
                        .end("{\"version\":\"" + VERSION + "\"}"));
        servers.add(server);
        return server.listen(port, "127.0.0.1").map(HttpServer::actualPort);
    }

    protected static ProbeSchedule schedule(long intervalMillis, long timeoutMillis, int successes, long deadlineMillis) {
        return new ProbeSchedule(Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis), successes,
                Duration.ofMillis(deadlineMillis));
    }
}
