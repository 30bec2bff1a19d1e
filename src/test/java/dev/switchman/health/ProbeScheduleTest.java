package dev.switchman.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.Measurement.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {

    @Test
    void backoffStartsAtTheIntervalDoublesAndIsCappedAtFiveIntervals() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), null, null, null);

        assertThat(List.of(schedule.backoff(1), schedule.backoff(2), schedule.backoff(3), schedule.backoff(4),
                schedule.backoff(9), schedule.backoff(Integer.MAX_VALUE)))
                .extracting(Duration::toMillis)
                .containsExactly(100L, 200L, 400L, 500L, 500L, 500L);
    }

    @Test
    void aSuccessIsFollowedAnIntervalLaterUnlessThatReachesTheDeadline() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), null, null, null);

        assertThat(schedule.next(List.of(failed(), ok()), Duration.ofSeconds(5))).contains(Duration.ofMillis(100));
        assertThat(schedule.next(List.of(ok()), Duration.ofMillis(101))).contains(Duration.ofMillis(100));
        assertThat(schedule.next(List.of(ok()), Duration.ofMillis(100))).isEmpty();
        assertThat(schedule.next(List.of(ok()), Duration.ofMillis(-5))).isEmpty();
    }

    @Test
    void failuresBackOffByHowManyFollowTheLastSuccess() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), null, null, null);
        Duration plenty = Duration.ofSeconds(5);

        assertThat(schedule.next(List.of(failed()), plenty)).contains(Duration.ofMillis(100));
        assertThat(schedule.next(List.of(ok(), failed(), failed(), failed()), plenty)).contains(Duration.ofMillis(400));
        // A success in between starts the backoff anew.
        assertThat(schedule.next(List.of(failed(), failed(), failed(), ok(), failed()), plenty)).contains(Duration.ofMillis(100));
    }

    @Test
    void aFailingCheckWaitsNoLongerThanItsDeadline() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), null, null, null);

        assertThat(schedule.next(List.of(failed(), failed()), Duration.ofMillis(30))).contains(Duration.ofMillis(30));
        assertThat(schedule.next(List.of(failed()), Duration.ofMillis(-5))).isEqualTo(Optional.of(Duration.ZERO));
    }

    private static Measurement ok() {
        return new Measurement(Instant.EPOCH, Phase.SUCCESS, "status 200");
    }

    private static Measurement failed() {
        return new Measurement(Instant.EPOCH, Phase.FAILURE, "status 503 instead of 200");
    }
}
