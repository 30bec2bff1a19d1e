package dev.switchman.health;

import dev.switchman.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a health check probes, the same for every kind: {@code successes} consecutive passing probes spaced by
 * {@code interval} pass the check; after a failure the next probe waits with exponential backoff from
 * {@code interval} (doubling, capped at {@value #BACKOFF_CAP_INTERVALS} intervals); each probe is bounded by
 * {@code timeout}; at {@code deadline} the check fails, and before it when the last {@code failures} probes all got
 * the same failing answer (a version that is simply broken: waiting tells nothing more). Only answers count: a
 * refused connection or a timeout, as while a slot starts, is waited for until the deadline.
 */
public record ProbeSchedule(Duration interval, Duration timeout, Integer successes, Duration deadline, Integer failures) {
    public static final int BACKOFF_CAP_INTERVALS = 5;

    public ProbeSchedule(Duration interval, Duration timeout, Integer successes, Duration deadline) {
        this(interval, timeout, successes, deadline, null);
    }

    public ProbeSchedule {
        failures = failures == null ? 10 : failures;
        if (failures < 1) {
            throw new IllegalArgumentException("health.failures must be at least 1, got " + failures);
        }
        interval = Durations.positive("health.interval", interval, Duration.ofMillis(500));
        timeout = Durations.positive("health.timeout", timeout, Duration.ofSeconds(2));
        successes = successes == null ? 3 : successes;
        if (successes < 1) {
            throw new IllegalArgumentException("health.successes must be at least 1, got " + successes);
        }
        deadline = Durations.positive("health.deadline", deadline, Duration.ofSeconds(60));
    }

    /** The failing answer the last {@link #failures} measurements all gave, if they did: the check can end now. */
    public Optional<String> sameFailure(List<Measurement> measurements) {
        if (measurements.size() < failures) {
            return Optional.empty();
        }
        Measurement last = measurements.getLast();
        for (Measurement m : measurements.subList(measurements.size() - failures, measurements.size())) {
            if (m.phase() != Measurement.Phase.FAILURE || !m.detail().equals(last.detail())) {
                return Optional.empty();
            }
        }
        return Optional.of(last.detail());
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
