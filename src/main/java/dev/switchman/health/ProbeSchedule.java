package dev.switchman.health;

import dev.switchman.config.Durations;
import java.time.Duration;

/**
 * When a health check probes, the same for every kind: {@code successes} consecutive passing probes spaced by
 * {@code interval} pass the check; after a failure the next probe waits with exponential backoff from
 * {@code interval}; each probe is bounded by {@code timeout}; at {@code deadline} the check fails.
 */
public record ProbeSchedule(Duration interval, Duration timeout, Integer successes, Duration deadline) {
    public ProbeSchedule {
        interval = Durations.positive("health.interval", interval, Duration.ofMillis(500));
        timeout = Durations.positive("health.timeout", timeout, Duration.ofSeconds(2));
        successes = successes == null ? 3 : successes;
        if (successes < 1) {
            throw new IllegalArgumentException("health.successes must be at least 1, got " + successes);
        }
        deadline = Durations.positive("health.deadline", deadline, Duration.ofSeconds(60));
    }
}
