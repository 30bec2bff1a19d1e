package dev.switchman.health;

import dev.switchman.spi.Provider;

/** Builds the {@link HealthCheck} named by {@code health.type}. */
public interface HealthProvider extends Provider<HealthCheck> {
    @Override
    default String section() {
        return "health";
    }
}
