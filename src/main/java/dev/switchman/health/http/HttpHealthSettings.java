package dev.switchman.health.http;

import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthSettings;
import dev.switchman.health.ProbeSchedule;
import java.time.Duration;
import java.util.Set;

/**
 * {@code health} for {@code type: http}: a probe passes when {@code GET path} answers {@code expectStatus} (and,
 * when {@code jsonField} is set, that field of the JSON body equals {@code expectValue}). The other keys are the
 * {@link ProbeSchedule} every kind shares.
 */
public record HttpHealthSettings(
        String path,
        Integer expectStatus,
        String jsonField,
        String expectValue,
        Duration interval,
        Duration timeout,
        Integer successes,
        Duration deadline,
        Integer failures) implements HealthSettings {

    public HttpHealthSettings(String path, Integer expectStatus, String jsonField, String expectValue, Duration interval,
                              Duration timeout, Integer successes, Duration deadline) {
        this(path, expectStatus, jsonField, expectValue, interval, timeout, successes, deadline, null);
    }

    public HttpHealthSettings {
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
        ProbeSchedule schedule = new ProbeSchedule(interval, timeout, successes, deadline, failures);
        interval = schedule.interval();
        timeout = schedule.timeout();
        successes = schedule.successes();
        deadline = schedule.deadline();
        failures = schedule.failures();
    }

    @Override
    public ProbeSchedule schedule() {
        return new ProbeSchedule(interval, timeout, successes, deadline, failures);
    }

    public static HttpHealthSettings defaults() {
        return new HttpHealthSettings(null, null, null, null, null, null, null, null);
    }
}
