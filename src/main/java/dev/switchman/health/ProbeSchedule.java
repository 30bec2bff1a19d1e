package dev.switchman.health;

import dev.switchman.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a health check probes, the same for every kind: {@code successes} consecutive passing probes spaced by
 * {@code interval} pass the check; after a failure the next probe waits with exponential backoff from
 * {@code interval} (doubling, capped at {@value #BACKOFF_CAP_INTERVALS} intervals); each probe is bounded by
 * {@code timeout}; at {@code deadline} the check fails.
 */
public record ProbeSchedule(Duration interval, Duration timeout, Integer successes, Duration deadline) {
    public static final int BACKOFF_CAP_INTERVALS = 5;

    public ProbeSchedule {
        interval = Durations.positive("health.interval", interval, Duration.ofMillis(500));
        timeout = Durations.positive("health.timeout", timeout, Duration.ofSeconds(2));
        successes = successes == null ? 3 : successes;
        if (successes < 1) {
            throw new IllegalArgumentException("health.successes must be at least 1, got " + successes);
        }
        deadline = Durations.positive("health.deadline", deadline, Duration.ofSeconds(60));
    }

    /** The wait before the next probe after {@code failures} (at least 1) consecutive failed probes. */
    public Duration backoff(int failures) {
        Duration cap = interval.multipliedBy(BACKOFF_CAP_INTERVALS);
        Duration wait = interval;
        // Stops doubling at the cap, so a long run of failures cannot overflow.
        for (int i = 1; i < failures && wait.compareTo(cap) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(cap) < 0 ? wait : cap;
    }

    /**
     * The wait before the next probe, given the measurements so far (at least one) and the time left before the
     * deadline: an interval after a success, the backoff after consecutive failures, never past the deadline.
     * Empty when the check ends now, after a success whose next probe could not start before the deadline; a
     * failing check waits out its deadline instead, so that it fails at the deadline.
     */
    public Optional<Duration> next(List<Measurement> measurements, Duration remaining) {
        int failures = 0;
        for (int i = measurements.size() - 1; i >= 0 && !measurements.get(i).ok(); i--) {
            failures++;
        }
        if (failures == 0) {
            return remaining.toMillis() <= interval.toMillis() ? Optional.empty() : Optional.of(interval);
        }
        Duration wait = backoff(failures);
        Duration left = remaining.isNegative() ? Duration.ZERO : remaining;
        return Optional.of(wait.compareTo(left) < 0 ? wait : left);
    }
}
