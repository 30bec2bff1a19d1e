package dev.switchman.health;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loop with scripted probes. Where the deadline matters, the probes move a clock of the test's own forward, so
 * what is cut short or left out does not depend on how loaded the machine is.
 */
class ProbeLoopTest {
    private static final Endpoint ENDPOINT = new Endpoint("127.0.0.1", 1);
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static Vertx vertx;

    private final SteppedClock clock = new SteppedClock(START);
    private final List<Duration> limits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @Test
    void passesOnceTheRequiredSuccessesFollowOneAnother() {
        List<Phase> script = new CopyOnWriteArrayList<>(List.of(Phase.SUCCESS, Phase.FAILURE, Phase.SUCCESS, Phase.SUCCESS, Phase.SUCCESS));
        Probe probe = (endpoint, version, limit) -> Future.succeededFuture(
                new Measurement(Instant.now(), script.removeFirst(), "scripted"));

        Verdict verdict = check(schedule(10, 500, 3, 10_000), probe, Clock.systemUTC());

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(5);
        assertThat(script).isEmpty();
    }

    @Test
    void theSameFailingAnswerOverAndOverEndsTheCheckBeforeItsDeadline() {
        // A version that is simply broken answers 500 every time: waiting out a minute's deadline tells nothing more.
        AtomicInteger probes = new AtomicInteger();
        Probe broken = (endpoint, version, limit) -> {
            probes.incrementAndGet();
            return Future.succeededFuture(new Measurement(Instant.now(), Phase.FAILURE, "status 500 instead of 200"));
        };
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(10), Duration.ofMillis(500), 2, Duration.ofSeconds(60), 4);

        Verdict verdict = check(schedule, broken, Clock.systemUTC());

        assertThat(verdict.passed()).isFalse();
        assertThat(probes.get()).isEqualTo(4);
        assertThat(verdict.reason()).isEqualTo("the same failing answer 4 times in a row (health.failures): status 500 instead of 200");
    }

    @Test
    void aSlotNotYetListeningOrAnsweringDifferentlyIsWaitedFor() {
        // Refused connections (an ERROR) while the slot starts, and answers that change, do not count as the same failure.
        List<Measurement> script = new CopyOnWriteArrayList<>(List.of(
                new Measurement(Instant.now(), Phase.ERROR, "connection refused"),
                new Measurement(Instant.now(), Phase.ERROR, "connection refused"),
                new Measurement(Instant.now(), Phase.ERROR, "connection refused"),
                new Measurement(Instant.now(), Phase.FAILURE, "status 503 instead of 200"),
                new Measurement(Instant.now(), Phase.FAILURE, "field 'status' was 'STARTING' expected 'UP'"),
                new Measurement(Instant.now(), Phase.SUCCESS, "status 200"),
                new Measurement(Instant.now(), Phase.SUCCESS, "status 200")));
        Probe starting = (endpoint, version, limit) -> Future.succeededFuture(script.removeFirst());
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(10), Duration.ofMillis(500), 2, Duration.ofSeconds(60), 2);

        assertThat(check(schedule, starting, Clock.systemUTC()).passed()).isTrue();
    }

    @Test
    void theNextProbeComesAnIntervalAfterASuccessAndWithBackoffAfterFailures() {
        List<Phase> script = new CopyOnWriteArrayList<>(List.of(Phase.FAILURE, Phase.FAILURE, Phase.FAILURE,
                Phase.SUCCESS, Phase.FAILURE, Phase.SUCCESS, Phase.SUCCESS));
        List<Long> startedNanos = new CopyOnWriteArrayList<>();
        Probe probe = (endpoint, version, limit) -> {
            startedNanos.add(System.nanoTime());
            return Future.succeededFuture(new Measurement(Instant.now(), script.removeFirst(), "scripted"));
        };

        Verdict verdict = check(schedule(60, 500, 2, 10_000), probe, Clock.systemUTC());

        assertThat(verdict.passed()).isTrue();
        List<Duration> gaps = List.of(gap(startedNanos, 0), gap(startedNanos, 1), gap(startedNanos, 2),
                gap(startedNanos, 3), gap(startedNanos, 4), gap(startedNanos, 5));
        // The waits the schedule gives (60, 120, 240, then 60 after the success and 60 after the failure that
        // follows it) separate the probes; a loaded machine can only add to them.
        assertThat(gaps).zipSatisfy(List.of(60L, 120L, 240L, 60L, 60L, 60L),
                (gap, wait) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(wait)));
    }

    @Test
    void aProbeStillRunningIsBoundedByTheTimeoutAndLeftOutWhenTheDeadlineCutsItShort() {
        Probe hanging = (endpoint, version, limit) -> {
            limits.add(limit);
            clock.advance(Duration.ofMillis(100));
            return Promise.<Measurement>promise().future();
        };

        Verdict verdict = check(schedule(10, 100, 1, 250), hanging, clock);

        assertThat(limits).extracting(Duration::toMillis).containsExactly(100L, 100L, 50L);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isEqualTo(2);
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).isEqualTo("timed out after 100ms (health.timeout)");
        assertThat(verdict.last().at()).isEqualTo(START.plusMillis(200));
    }

    @Test
    void aProbeCutShortByTheDeadlineCountsWhenNothingEarlierSaysMore() {
        Probe hanging = (endpoint, version, limit) -> {
            limits.add(limit);
            clock.advance(Duration.ofMillis(100));
            return Promise.<Measurement>promise().future();
        };

        Verdict verdict = check(schedule(10, 100, 1, 50), hanging, clock);

        assertThat(limits).extracting(Duration::toMillis).containsExactly(50L);
        assertThat(verdict.probes()).isEqualTo(1);
        assertThat(verdict.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(verdict.reason()).isEqualTo("timed out after 50ms (cut short by health.deadline 50ms)");
    }

    @Test
    void noProbeStartsAtTheDeadlineAndEachIsBoundedByWhatIsLeft() {
        Probe failing = (endpoint, version, limit) -> {
            limits.add(limit);
            clock.advance(Duration.ofMillis(100));
            return Future.succeededFuture(new Measurement(clock.instant(), Phase.FAILURE, "status 503 instead of 200"));
        };

        Verdict verdict = check(schedule(10, 1000, 1, 350), failing, clock);

        assertThat(limits).extracting(Duration::toMillis).containsExactly(350L, 250L, 150L, 50L);
        assertThat(verdict.probes()).isEqualTo(4);
        assertThat(verdict.reason()).isEqualTo("status 503 instead of 200");
    }

    @Test
    void afterASuccessTheCheckEndsAtOnceWhenTheNextProbeCouldNotStartBeforeTheDeadline() {
        Probe passing = (endpoint, version, limit) -> {
            clock.advance(Duration.ofMillis(100));
            return Future.succeededFuture(new Measurement(clock.instant(), Phase.SUCCESS, "status 200"));
        };
        ProbeLoop loop = new ProbeLoop(vertx, schedule(1000, 1000, 2, 250), passing, clock);

        // Sooner than the one-second interval: the loop does not wait for a probe it could not start.
        Verdict verdict = await(loop.check(ENDPOINT, "v1"), Duration.ofMillis(800));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.probes()).isEqualTo(1);
        assertThat(verdict.reason()).isEqualTo("only 1 of 2 consecutive probes succeeded before health.deadline");
    }

    @Test
    void aProbeThatThrowsOrFailsAgainstItsContractStillGivesAnErrorMeasurement() {
        Probe throwing = (endpoint, version, limit) -> {
            clock.advance(Duration.ofMillis(100));
            throw new IllegalStateException("boom");
        };
        Probe failing = (endpoint, version, limit) -> {
            clock.advance(Duration.ofMillis(100));
            return Future.failedFuture(new IllegalStateException("bust"));
        };

        Verdict thrown = check(schedule(10, 100, 1, 50), throwing, clock);
        Verdict failed = check(schedule(10, 100, 1, 50), failing, clock);

        assertThat(thrown.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(thrown.reason()).isEqualTo("probe of 127.0.0.1:1 failed: boom");
        assertThat(failed.last().phase()).isEqualTo(Phase.ERROR);
        assertThat(failed.reason()).isEqualTo("probe of 127.0.0.1:1 failed: bust");
    }

    // ---- helpers

    private static Verdict check(ProbeSchedule schedule, Probe probe, Clock clock) {
        return await(new ProbeLoop(vertx, schedule, probe, clock).check(ENDPOINT, "v1"));
    }

    private static ProbeSchedule schedule(long intervalMillis, long timeoutMillis, int successes, long deadlineMillis) {
        return new ProbeSchedule(Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis), successes,
                Duration.ofMillis(deadlineMillis));
    }

    private static Duration gap(List<Long> nanos, int after) {
        return Duration.ofNanos(nanos.get(after + 1) - nanos.get(after));
    }

    /** Time that moves only when the test says so. */
    private static final class SteppedClock extends Clock {
        private final AtomicReference<Instant> now;

        SteppedClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration step) {
            now.updateAndGet(t -> t.plus(step));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the loop needs no zone");
        }
    }
}
