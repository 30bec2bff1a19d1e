package dev.switchman.health.tcp;

import dev.switchman.health.HealthSettings;
import dev.switchman.health.ProbeSchedule;
import java.time.Duration;

/** {@code health} for {@code type: tcp}: only the {@link ProbeSchedule} every kind shares. */
public record TcpHealthSettings(Duration interval, Duration timeout, Integer successes, Duration deadline, Integer failures)
        implements HealthSettings {

    public TcpHealthSettings {
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
}
