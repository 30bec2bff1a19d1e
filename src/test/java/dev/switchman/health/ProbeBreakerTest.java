package dev.switchman.health;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The breaker every probe goes through, with scripted probes: when it keeps probes back and what they count as. */
class ProbeBreakerTest {
    private static final Endpoint ENDPOINT = new Endpoint("127.0.0.1", 1);
    private static final String BROKEN = "status 503 instead of 200";
    private static Vertx vertx;

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Phase> answer = new AtomicReference<>(Phase.FAILURE);
    private final Probe scripted = (endpoint, version, limit) -> {
        sent.incrementAndGet();
        Phase phase = answer.get();
        return Future.succeededFuture(new Measurement(Instant.now(), phase, phase == Phase.SUCCESS ? "status 200" : BROKEN));
    };

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @Test
    void opensAfterFiveFailedProbesInARowThenLetsOneThroughAndClosesOnItsSuccess() {
        ProbeLoop loop = loop(new ProbeSchedule(Duration.ofMillis(50), Duration.ofMillis(500), 1, Duration.ofSeconds(10)));
        for (int i = 0; i < ProbeBreaker.FAILURES; i++) {
            assertThat(await(loop.probe(ENDPOINT, "v1")).detail()).isEqualTo(BROKEN);
        }

        Measurement kept = await(loop.probe(ENDPOINT, "v1"));

        assertThat(sent).hasValue(5);
        assertThat(loop.breakerState(ENDPOINT)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(kept.phase()).isEqualTo(Phase.FAILURE);
        assertThat(kept.detail()).isEqualTo("not probed: the circuit breaker of 127.0.0.1:1 is open after 5 failed probes"
                + " in a row (one is let through 200ms after the last); the last probe: " + BROKEN);

        // After the wait (4 intervals) one probe is sent again; it succeeds, so the breaker closes.
        answer.set(Phase.SUCCESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> await(loop.probe(ENDPOINT, "v1")).ok());
        assertThat(sent).hasValue(6);
        assertThat(loop.breakerState(ENDPOINT)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aProbeLetThroughThatFailsOpensItAgain() {
        // Open for 800 ms: long enough that the probe just after the one let through is surely kept back.
        ProbeLoop loop = loop(new ProbeSchedule(Duration.ofMillis(200), Duration.ofMillis(500), 1, Duration.ofSeconds(10)));
        for (int i = 0; i < ProbeBreaker.FAILURES; i++) {
            await(loop.probe(ENDPOINT, "v1"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            await(loop.probe(ENDPOINT, "v1"));
            return sent.get() == 6;
        });

        assertThat(loop.breakerState(ENDPOINT)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(await(loop.probe(ENDPOINT, "v1")).detail()).startsWith("not probed: ");
        assertThat(sent).hasValue(6);
    }

    @Test
    void probesKeptBackAreFailuresButNotAnswersTheSameFailureCounts() {
        // Opened by others' probes, the check's first probes are kept back; only the ones sent make the same answer.
        ProbeLoop loop = loop(new ProbeSchedule(Duration.ofMillis(20), Duration.ofMillis(500), 1, Duration.ofSeconds(30), 3));
        for (int i = 0; i < ProbeBreaker.FAILURES; i++) {
            await(loop.probe(ENDPOINT, "v1"));
        }

        Verdict verdict = await(loop.check(ENDPOINT, "v1"));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("the same failing answer 3 times in a row (health.failures): " + BROKEN);
        assertThat(sent).hasValue(5 + 3);
        assertThat(verdict.probes()).isGreaterThan(3);
    }

    @Test
    void eachEndpointHasItsOwnBreaker() {
        ProbeLoop loop = loop(new ProbeSchedule(Duration.ofMillis(1000), Duration.ofMillis(500), 1, Duration.ofSeconds(10)));
        for (int i = 0; i < ProbeBreaker.FAILURES; i++) {
            await(loop.probe(ENDPOINT, "v1"));
        }

        Measurement other = await(loop.probe(new Endpoint("127.0.0.1", 2), "v1"));

        assertThat(other.detail()).isEqualTo(BROKEN);
        assertThat(sent).hasValue(6);
    }

    @Test
    void aProbeThatTimesOutCountsAsAFailedOne() {
        Probe hanging = (endpoint, version, limit) -> {
            sent.incrementAndGet();
            return Promise.<Measurement>promise().future();
        };
        ProbeLoop loop = new ProbeLoop(vertx, new ProbeSchedule(Duration.ofMillis(1000), Duration.ofMillis(20), 1,
                Duration.ofSeconds(10)), hanging, Clock.systemUTC());
        for (int i = 0; i < ProbeBreaker.FAILURES; i++) {
            assertThat(await(loop.probe(ENDPOINT, "v1")).detail()).isEqualTo("timed out after 20ms (health.timeout)");
        }

        Measurement kept = await(loop.probe(ENDPOINT, "v1"));

        assertThat(kept.phase()).isEqualTo(Phase.ERROR);
        assertThat(kept.detail()).startsWith("not probed: ").endsWith("; the last probe: timed out after 20ms (health.timeout)");
        assertThat(sent).hasValue(5);
    }

    private ProbeLoop loop(ProbeSchedule schedule) {
        return new ProbeLoop(vertx, schedule, scripted, Clock.systemUTC());
    }
}
