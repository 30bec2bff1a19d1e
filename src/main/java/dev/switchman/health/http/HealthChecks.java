package dev.switchman.health.http;

import dev.switchman.config.HealthConfig;
import dev.switchman.config.Placeholders;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Static factories for the HTTP health check. */
public final class HealthChecks {
    private HealthChecks() {}

    public static HttpHealthCheck http(Vertx vertx, HealthConfig config, Clock clock) {
        return new HttpHealthCheck(vertx, config, clock);
    }

    /** With values for {@code {app}} and {@code {colour}} in {@code health.expectValue}. */
    public static HttpHealthCheck http(Vertx vertx, HealthConfig config, Clock clock, Placeholders placeholders) {
        return new HttpHealthCheck(vertx, config, clock, placeholders);
    }
}
