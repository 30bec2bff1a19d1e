package dev.switchman.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeVerdictTest {

    @Test
    void passesOnTheLastConsecutiveSuccesses() {
        Verdict verdict = ProbeVerdict.judge(List.of(fail("status 503 instead of 200"), ok(), ok()), 2);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.probes()).isEqualTo(3);
        assertThat(verdict.last().ok()).isTrue();
    }

    @Test
    void failsWithTheLastFailure() {
        Verdict verdict = ProbeVerdict.judge(List.of(ok(), ok(), fail("status 503 instead of 200")), 2);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("status 503 instead of 200");
    }

    @Test
    void tooFewSuccessesSaySoAndNameTheLastFailure() {
        Verdict verdict = ProbeVerdict.judge(List.of(ok(), fail("connection refused by 127.0.0.1:1"), ok()), 3);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.last().phase()).isEqualTo(Phase.FAILURE);
        assertThat(verdict.reason()).isEqualTo("only 1 of 3 consecutive probes succeeded before health.deadline; "
                + "the last failure: connection refused by 127.0.0.1:1");
        assertThat(ProbeVerdict.judge(List.of(ok()), 2).reason())
                .isEqualTo("only 1 of 2 consecutive probes succeeded before health.deadline");
    }

    @Test
    void noMeasurementsFail() {
        Verdict verdict = ProbeVerdict.judge(List.of(), 1);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).isEqualTo("no probe ran");
    }

    private static Measurement ok() {
        return new Measurement(Instant.EPOCH, Phase.SUCCESS, "status 200");
    }

    private static Measurement fail(String detail) {
        return new Measurement(Instant.EPOCH, detail.startsWith("connection") ? Phase.ERROR : Phase.FAILURE, detail);
    }
}
