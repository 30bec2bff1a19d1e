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
