package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new version is judged every second of a window, not once at its end: a version that starts failing early in
 * a long bake is rolled back at once, with the span from the first failing measurement to all traffic back
 * recorded; a window without enough traffic is inconclusive, never a pass; a router that restarted mid-window
 * cannot pass it.
 */
class ContinuousAnalysisTest {
    private static final Pattern SPAN = Pattern.compile("first failing measurement at (\\S+), all traffic back at (\\S+): (\\d+) ms");

    @TempDir
    Path dir;
    GreeterStack stack;
    volatile GreeterStack.Run result;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("20s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        stack.strategy(GreeterStack.strategy("0s", 100));
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void aVersionFailingEarlyInALongBakeIsRolledBackAtOnceAndTheSpanIsRecorded() throws Exception {
        stack.strategy(GreeterStack.strategy("30s", 100));
        FailureClock failures = new FailureClock();
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack);
             ReleaseGatesTest.Traffic counted = new ReleaseGatesTest.Traffic(stack, failures::saw)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("bake");
            stack.fault(Colour.GREEN, "errors", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("bake");
        // Ended by the first failing judgement, long before the bake's 30 s.
        assertThat(Duration.between(r.startedAt(), r.endedAt())).isLessThan(Duration.ofSeconds(20));
        Matcher span = SPAN.matcher(result.stderr());
        assertThat(span.find()).as(result.stderr()).isTrue();
        Duration recorded = Duration.between(Instant.parse(span.group(1)), Instant.parse(span.group(2)));
        assertThat(recorded.toMillis()).isEqualTo(Long.parseLong(span.group(3))).isNotNegative();
        System.out.println("rollback span: " + span.group(3) + " ms from the first failing measurement; a client saw "
                + failures.count + " failed requests, the first to the last " + failures.spanMillis() + " ms apart");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aWindowWithoutTrafficIsInconclusiveAndFailsByDefault() throws Exception {
        stack.strategy("name: judged\nsteps:\n  - weight: 100\nbake: 2s\n");
        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("bake");
        assertThat(r.reason()).contains("inconclusive: no requests reached green in the window (analysis.minRequests is 1)");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aStrategyMayPassAnInconclusiveWindowWithAWarning() throws Exception {
        stack.strategy("name: lenient\nsteps:\n  - weight: 100\nbake: 2s\nanalysis:\n  onInconclusive: pass\n");
        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).contains("warning: not judged, analysis.onInconclusive is pass: no requests reached green");
    }

    @Test
    void aWindowShorterThanTheHealthChecksFailureLimitCannotPassAFailingSlot() throws Exception {
        // Two measurements fit in a 2 s bake, one short of the health watch's limit of three in a row.
        stack.strategy("name: short\nsteps:\n  - weight: 100\nbake: 2s\nanalysis:\n  onInconclusive: pass\n");
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("bake");
            stack.fault(Colour.GREEN, "unhealthy", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("bake");
        assertThat(r.reason()).contains("fails its health checks");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aRouterRestartedInTheBakeCannotPassItsErrors() throws Exception {
        stack.strategy("name: restart\nsteps:\n  - weight: 100\nbake: 12s\nanalysis:\n  minRequests: 1\n");
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("bake");
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.routerStatus().stats(Colour.GREEN).requests() > 20);
            // The counters start again from zero, then green fails.
            stack.stopRouter();
            stack.startRouter();
            stack.fault(Colour.GREEN, "errors", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(stack.lastRelease().orElseThrow().gate()).isEqualTo("bake");
    }

    @Test
    void aNewVersionThatIsSlowRatherThanFailingIsRolledBackByItsP99() throws Exception {
        stack.strategy("""
                name: latency
                steps:
                  - shift: 100
                bake: 30s
                analysis:
                  metrics:
                    - type: router
                      maxP99: 500ms
                """);
        try (ReleaseGatesTest.Traffic one = new ReleaseGatesTest.Traffic(stack);
             ReleaseGatesTest.Traffic two = new ReleaseGatesTest.Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("bake");
            stack.fault(Colour.GREEN, "lag", true); // every answer of green takes 2 s, none fails
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("bake");
        assertThat(r.reason()).contains("0 errors").containsPattern("p99 \\d+ ms \\(limit 500 ms\\)");
        assertThat(Duration.between(r.startedAt(), r.endedAt())).isLessThan(Duration.ofSeconds(30));
        assertThat(SPAN.matcher(result.stderr()).find()).as(result.stderr()).isTrue();
    }

    @Test
    void theNewVersionKilledDuringTheBakeIsRolledBackWithoutAFailedRequestAndTheSpanIsRecorded() throws Exception {
        stack.strategy(GreeterStack.strategy("30s", 100));
        FailureClock failures = new FailureClock();
        try (ReleaseGatesTest.Traffic counted = new ReleaseGatesTest.Traffic(stack, failures::saw)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("bake");
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.routerStatus().stats(Colour.GREEN).requests() > 20);
            stack.slotProcess(Colour.GREEN).destroyForcibly();
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("bake");
        assertThat(Duration.between(r.startedAt(), r.endedAt())).isLessThan(Duration.ofSeconds(30));
        Matcher span = SPAN.matcher(result.stderr());
        assertThat(span.find()).as(result.stderr()).isTrue();
        assertThat(Duration.between(Instant.parse(span.group(1)), Instant.parse(span.group(2))).toMillis())
                .isEqualTo(Long.parseLong(span.group(3))).isNotNegative();
        // The router sends what the dead slot refuses to the live one, and a GET it held when it died once more
        // (a POST it held would be lost: it may have been acted on).
        assertThat(failures.count).as("failed requests a client saw").isZero();
        System.out.println("killed new version: rollback span " + span.group(3) + " ms, " + failures.count + " failed requests");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void theLiveSlotKilledDuringAShiftStepIsNotRolledBackIntoAndAPersonIsAskedToAct() throws Exception {
        stack.strategy("name: split\nsteps:\n  - shift: 50\n  - analyse: 30s\n  - shift: 100\nbake: 0s\n");
        FailureClock failures = new FailureClock();
        try (ReleaseGatesTest.Traffic counted = new ReleaseGatesTest.Traffic(stack, failures::saw)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("shift");
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.routerStatus().stats(Colour.BLUE).requests() > 20
                    && stack.routerStatus().stats(Colour.GREEN).requests() > 20);
            stack.slotProcess(Colour.BLUE).destroyForcibly();
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ACT_NOW);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLBACK_FAILED);
        assertThat(r.gate()).isEqualTo("shift");
        assertThat(r.reason()).contains("the live slot: v1 in blue fails its health checks")
                .contains("not sending traffic back to blue")
                .contains("all traffic is on v2 in green, which is healthy");
        // The new slot was not stopped: it serves everything.
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.routerStatus().target().weight(Colour.GREEN)).isEqualTo(100);
        // Blue's share went to green, the GETs blue held when it died were sent to green once more.
        assertThat(failures.count).as("failed requests a client saw").isZero();
        System.out.println("live killed in shift: " + failures.count + " failed requests");
    }

    @Test
    void aNewVersionWorseThanTheLiveOneIsRolledBackByTheComparison() throws Exception {
        stack.strategy("""
                name: compared
                steps:
                  - shift: 50
                  - analyse: 20s
                  - shift: 100
                bake: 0s
                analysis:
                  metrics:
                    - type: comparison
                      maxErrorRateIncrease: 0.05
                """);
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            awaitGate("shift");
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.routerStatus().stats(Colour.GREEN).requests() > 20);
            stack.fault(Colour.GREEN, "errors", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("shift");
        assertThat(r.reason()).contains("comparison: green").contains("errors more than 5.0 points above the live colour's");
    }

    @Test
    void aStrategyFileWithAMistakeIsRefusedNamingTheStepAndTouchesNothing() throws Exception {
        stack.strategy("name: broken\nsteps:\n  - shift: 50\n  - shift: 25\n  - shift: 100\nbake: 1s\n");
        GreeterStack.Run shrinking = stack.cli("release", "v2");
        stack.strategy("name: broken\nsteps:\n  - shift: 50\n    analyse: 10s\n  - shift: 100\n");
        GreeterStack.Run twoInOne = stack.cli("release", "v2");
        stack.strategy("name: broken\nsteps:\n  - shift: 100\nanalysis:\n  metrics:\n    - type: router\n      maxP99: fast\n");
        GreeterStack.Run badKey = stack.cli("release", "v2");

        assertThat(shrinking.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(shrinking.stderr()).contains("strategy.yaml").contains("steps[1] (shift 25%) must give the new version more than steps[0] (50%)");
        assertThat(twoInOne.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(twoInOne.stderr()).contains("a step does one thing").contains("steps[0]");
        assertThat(badKey.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(badKey.stderr()).contains("analysis.metrics[0].maxP99");
        assertThat(stack.lastRelease().orElseThrow().version()).as("nothing was touched").isEqualTo("v1");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    /** What one client loop saw fail: how many, the first and the last. */
    private static final class FailureClock {
        volatile long count;
        volatile long firstNanos;
        volatile long lastNanos;

        synchronized void saw(String response) {
            if (response.startsWith("200 ")) {
                return;
            }
            long now = System.nanoTime();
            if (count++ == 0) {
                firstNanos = now;
            }
            lastNanos = now;
        }

        long spanMillis() {
            return count == 0 ? 0 : (lastNanos - firstNanos) / 1_000_000;
        }
    }

    private void awaitGate(String gate) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.lastRelease().map(r -> gate.equals(r.gate())).orElse(false));
    }
}
