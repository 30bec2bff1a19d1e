package dev.switchman.health.router;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Measurement;
import dev.switchman.health.MetricProvider.Window;
import dev.switchman.health.Subject;
import dev.switchman.model.Colour;
import dev.switchman.traffic.LatencyHistogram;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus.ColourStats;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The judgement of two readings of the router's counters, and windows over a router that answers as told. */
class RouterCountersTest {
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);

    @Test
    void tooManyErrorsInTheWindowFail() {
        Measurement measurement = RouterCounters.judge(reading(1000, 50), reading(1100, 52), GREEN, 0.01, 0, AT);

        assertThat(measurement.phase()).isEqualTo(Phase.FAILURE);
        assertThat(measurement.detail()).isEqualTo("green: 2 errors in 100 requests (2.0%, limit 1.0%)");
        assertThat(measurement.at()).isEqualTo(AT);
    }

    @Test
    void anErrorRateAtTheLimitPasses() {
        Measurement measurement = RouterCounters.judge(reading(0, 0), reading(100, 1), GREEN, 0.01, 0, AT);

        assertThat(measurement.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(measurement.detail()).isEqualTo("green: 1 errors in 100 requests (1.0%, limit 1.0%)");
    }

    @Test
    void onlyTheColoursOwnRequestsCount() {
        RouterStatus before = new RouterStatus(null, Map.of(BLUE, stats(0, 0), GREEN, stats(0, 0)));
        RouterStatus after = new RouterStatus(null, Map.of(BLUE, stats(10, 10), GREEN, stats(10, 0)));

        Measurement measurement = RouterCounters.judge(before, after, GREEN, 0.01, 0, AT);

        assertThat(measurement.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(measurement.detail()).isEqualTo("green: 0 errors in 10 requests (0.0%, limit 1.0%)");
    }

    @Test
    void requestsWhoseClientWentAwayAreNeitherErrorsNorAnswers() {
        // 20 routed, of which 10 clients broke off: 2 errors are 2 of the 10 the upstream answered.
        RouterStatus before = new RouterStatus(null, Map.of(GREEN, new ColourStats(0, 0, 0, 1.0, 0)));
        RouterStatus after = new RouterStatus(null, Map.of(GREEN, new ColourStats(20, 2, 0, 1.0, 10)));

        Measurement measurement = RouterCounters.judge(before, after, GREEN, 0.15, 0, AT);

        assertThat(measurement.phase()).isEqualTo(Phase.FAILURE);
        assertThat(measurement.detail()).isEqualTo("green: 2 errors in 10 requests (20.0%, limit 15.0%)"
                + ", 10 clients went away");
    }

    @Test
    void tooFewRequestsAreInconclusiveNeverAPass() {
        Measurement none = RouterCounters.judge(reading(100, 5), reading(100, 5), GREEN, 0.01, 1, AT);
        Measurement few = RouterCounters.judge(reading(100, 5), reading(103, 5), GREEN, 0.01, 10, AT);
        // Errors are evidence however few the requests: one failure in two is a failure.
        Measurement failing = RouterCounters.judge(reading(100, 5), reading(102, 6), GREEN, 0.01, 10, AT);
        // Only a strategy that sets minRequests: 0 passes a window without traffic.
        Measurement accepted = RouterCounters.judge(reading(100, 5), reading(100, 5), GREEN, 0.01, 0, AT);

        assertThat(none.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(none.detail()).isEqualTo("no requests reached green in the window (analysis.minRequests is 1)");
        assertThat(few.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(few.detail()).isEqualTo("only 3 request(s) reached green in the window (analysis.minRequests is 10)");
        assertThat(failing.phase()).isEqualTo(Phase.FAILURE);
        assertThat(accepted.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(accepted.detail()).isEqualTo("no requests reached green in the window");
    }

    @Test
    void countersThatWentBackRestartTheWindowAndNeverPassIt() {
        // Before, a restarted router's smaller counters read as "no requests": a pass.
        Measurement restarted = RouterCounters.judge(reading(100, 5), reading(3, 3), GREEN, 0.01, 0, AT);
        assertThat(restarted.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(restarted.detail()).contains("went back");

        // After the restart the window judges from the restarted router's counters: its errors are seen.
        Answers router = new Answers(List.of(
                () -> Future.succeededFuture(reading(1000, 0)),
                () -> Future.succeededFuture(reading(40, 0)),
                () -> Future.succeededFuture(reading(140, 30))));
        Window window = await(new RouterCounters(router, 0.01, 1, CLOCK).open(new Subject("app", GREEN, "v2", null, null)));
        assertThat(await(window.measure()).phase()).isEqualTo(Phase.INCONCLUSIVE);
        Measurement after = await(window.measure());
        assertThat(after.phase()).isEqualTo(Phase.FAILURE);
        assertThat(after.detail()).isEqualTo("green: 30 errors in 100 requests (30.0%, limit 1.0%)");
    }

    @Test
    void aWindowJudgesFromItsOpeningReadingEachTimeItIsMeasured() {
        Answers router = new Answers(List.of(
                () -> Future.succeededFuture(reading(100, 0)),
                () -> Future.succeededFuture(reading(150, 0)),
                () -> Future.succeededFuture(reading(200, 5))));
        Window window = await(new RouterCounters(router, 0.01, 0, CLOCK).open(new Subject("app", GREEN, "v2", null, null)));

        Measurement first = await(window.measure());
        Measurement second = await(window.measure());

        assertThat(first.detail()).isEqualTo("green: 0 errors in 50 requests (0.0%, limit 1.0%)");
        assertThat(first.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(second.detail()).isEqualTo("green: 5 errors in 100 requests (5.0%, limit 1.0%)");
        assertThat(second.phase()).isEqualTo(Phase.FAILURE);
        assertThat(second.at()).isEqualTo(AT);
    }

    @Test
    void aRouterThatCannotBeReadGivesErrorMeasurementsNamingItsFailure() {
        Answers downAtOpen = new Answers(List.of(
                () -> Future.failedFuture(new IllegalStateException("the builtin router is not running")),
                () -> Future.succeededFuture(reading(10, 0))));
        Answers downAtTheEnd = new Answers(List.of(
                () -> Future.succeededFuture(reading(10, 0)),
                () -> Future.failedFuture(new IllegalStateException("the builtin router answered 500"))));
        Answers throwing = new Answers(List.of(() -> {
            throw new IllegalStateException("no router here");
        }));

        Measurement atOpen = await(await(new RouterCounters(downAtOpen, 0.01, 0, CLOCK).open(new Subject("app", GREEN, "v2", null, null))).measure());
        Measurement atTheEnd = await(await(new RouterCounters(downAtTheEnd, 0.01, 0, CLOCK).open(new Subject("app", GREEN, "v2", null, null))).measure());
        Measurement thrown = await(await(new RouterCounters(throwing, 0.01, 0, CLOCK).open(new Subject("app", BLUE, "v2", null, null))).measure());

        assertThat(List.of(atOpen.phase(), atTheEnd.phase(), thrown.phase())).containsOnly(Phase.ERROR);
        assertThat(atOpen.detail()).isEqualTo("green: cannot read the router's counters at the start of the window: "
                + "the builtin router is not running");
        assertThat(atTheEnd.detail()).isEqualTo("green: cannot read the router's counters at the end of the window: "
                + "the builtin router answered 500");
        assertThat(thrown.detail()).isEqualTo("blue: cannot read the router's counters at the start of the window: "
                + "no router here");
    }

    @Test
    void aSlowWindowFailsItsP99BoundWhileItsErrorsAreWithinTheirs() {
        RouterStatus before = new RouterStatus(null, Map.of(GREEN, new ColourStats(0, 0, 0, 1.0, 0, histogram(0, 0))));
        RouterStatus fast = new RouterStatus(null, Map.of(GREEN, new ColourStats(100, 0, 0, 1.0, 0, histogram(100, 0))));
        RouterStatus slow = new RouterStatus(null, Map.of(GREEN, new ColourStats(100, 0, 0, 1.0, 0, histogram(90, 10))));

        Measurement passed = RouterCounters.judge(before, fast, GREEN, 0.01, Duration.ofMillis(500), 1, AT);
        Measurement failed = RouterCounters.judge(before, slow, GREEN, 0.01, Duration.ofMillis(500), 1, AT);
        Measurement unbounded = RouterCounters.judge(before, slow, GREEN, 0.01, null, 1, AT);

        assertThat(passed.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(passed.detail()).endsWith("p99 5 ms (limit 500 ms)");
        assertThat(failed.phase()).isEqualTo(Phase.FAILURE);
        assertThat(failed.detail()).contains("0 errors in 100 requests").endsWith("p99 1950 ms (limit 500 ms)");
        assertThat(unbounded.phase()).isEqualTo(Phase.SUCCESS);
    }

    @Test
    void aSpanJudgesOnlyTheRecentTrafficSoFailuresLateInALongWindowAreNotDiluted() {
        MovingClock clock = new MovingClock();
        Answers router = new Answers(List.of(
                () -> Future.succeededFuture(reading(0, 0)),
                () -> Future.succeededFuture(reading(1000, 0)),
                () -> Future.succeededFuture(reading(2000, 0)),
                () -> Future.succeededFuture(reading(3000, 0)),
                () -> Future.succeededFuture(reading(3100, 10))));
        Window window = await(new RouterCounters(router, 0.05, null, Duration.ofSeconds(2), 1, clock)
                .open(new Subject("app", GREEN, "v2", null, null)));
        for (int second = 1; second <= 3; second++) {
            clock.now = clock.now.plusSeconds(1);
            assertThat(await(window.measure()).phase()).isEqualTo(Phase.SUCCESS);
        }
        clock.now = clock.now.plusSeconds(1);
        Measurement late = await(window.measure());

        // The last 2 s: 10 errors in 1100 requests would pass at 5%; over the whole window they would be 10 in 3100.
        assertThat(late.detail()).isEqualTo("green: 10 errors in 1100 requests (0.9%, limit 5.0%)");
        assertThat(late.phase()).isEqualTo(Phase.SUCCESS);
    }

    @Test
    void aSpanShorterThanTheWindowSeesALateFailureThatTheWholeWindowWouldHide() {
        MovingClock clock = new MovingClock();
        List<Supplier<Future<RouterStatus>>> script = List.of(
                () -> Future.succeededFuture(reading(0, 0)),
                () -> Future.succeededFuture(reading(5000, 0)),
                () -> Future.succeededFuture(reading(10000, 0)),
                () -> Future.succeededFuture(reading(10100, 100)));
        Window spanned = await(new RouterCounters(new Answers(script), 0.05, null, Duration.ofSeconds(1), 1, clock)
                .open(new Subject("app", GREEN, "v2", null, null)));
        Window whole = await(new RouterCounters(new Answers(script), 0.05, null, null, 1, clock)
                .open(new Subject("app", GREEN, "v2", null, null)));
        Measurement spannedLast = null;
        Measurement wholeLast = null;
        for (int second = 1; second <= 3; second++) {
            clock.now = clock.now.plusSeconds(1);
            spannedLast = await(spanned.measure());
            wholeLast = await(whole.measure());
        }

        assertThat(spannedLast.phase()).as(spannedLast.detail()).isEqualTo(Phase.FAILURE);
        assertThat(spannedLast.detail()).isEqualTo("green: 100 errors in 100 requests (100.0%, limit 5.0%)");
        assertThat(wholeLast.phase()).as(wholeLast.detail()).isEqualTo(Phase.SUCCESS);
    }

    // ---- helpers

    /** Buckets: {@code fast} responses of 5 ms or less, {@code slow} ones between 1.5 and 2 s. */
    private static LatencyHistogram histogram(long fast, long slow) {
        List<Long> counts = new ArrayList<>(LatencyHistogram.EMPTY.counts());
        counts.set(LatencyHistogram.bucket(5), fast);
        counts.set(LatencyHistogram.bucket(1900), slow);
        return new LatencyHistogram(counts);
    }

    /** A clock a test moves. */
    private static final class MovingClock extends Clock {
        volatile Instant now = AT;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static RouterStatus reading(long requests, long errors) {
        return new RouterStatus(null, Map.of(GREEN, stats(requests, errors)));
    }

    private static ColourStats stats(long requests, long errors) {
        return new ColourStats(requests, errors, 0, 1.0);
    }

    /** A router whose status answers come from a script, one per call; it is never asked to move traffic. */
    private static final class Answers implements Router {
        private final List<Supplier<Future<RouterStatus>>> script;

        Answers(List<Supplier<Future<RouterStatus>>> script) {
            this.script = new CopyOnWriteArrayList<>(script);
        }

        @Override
        public Future<RouterStatus> status() {
            return script.removeFirst().get();
        }

        @Override
        public Future<Void> setWeights(TrafficTarget target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Boolean> verify(TrafficTarget target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> drain(Colour colour) {
            throw new UnsupportedOperationException();
        }
    }
}
