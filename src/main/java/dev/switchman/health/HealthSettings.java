package dev.switchman.health;

import dev.switchman.config.KindSettings;

/** The settings of a health check kind: its own keys, and the probe schedule every kind shares. */
public interface HealthSettings extends KindSettings {
    ProbeSchedule schedule();
}
