package dev.switchman.config;

import java.time.Duration;
import java.util.Set;

/**
 * The HTTP health check of a slot: passes after {@code successes} consecutive probes answered with
 * {@code expectStatus} (and, when {@code jsonField} is set, that field of the JSON body equal to
 * {@code expectValue}); fails at {@code deadline}. Each probe is bounded by {@code timeout}; after a failure
 * the next probe waits with exponential backoff from {@code interval}.
 */
public record HealthConfig(
        String path,
        Integer expectStatus,
        String jsonField,
        String expectValue,
        Duration interval,
        Duration timeout,
        Integer successes,
        Duration deadline) {

    public HealthConfig {
        path = path == null ? "/health" : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health.path must start with '/', got '" + path + "'");
        }
        expectStatus = expectStatus == null ? 200 : expectStatus;
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("health.expectStatus must be an HTTP status, got " + expectStatus);
        }
        expectValue = expectValue == null && jsonField != null ? "{version}" : expectValue;
        Placeholders.check("health.expectValue", expectValue, Set.of("version", "app"));
        interval = Durations.positive("health.interval", interval, Duration.ofMillis(500));
        timeout = Durations.positive("health.timeout", timeout, Duration.ofSeconds(2));
        successes = successes == null ? 3 : successes;
        if (successes < 1) {
            throw new IllegalArgumentException("health.successes must be at least 1, got " + successes);
        }
        deadline = Durations.positive("health.deadline", deadline, Duration.ofSeconds(60));
    }

    public static HealthConfig defaults() {
        return new HealthConfig(null, null, null, null, null, null, null, null);
    }
}
