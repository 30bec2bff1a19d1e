package dev.switchman.health.router;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import java.time.Duration;

/**
 * {@code type: router}: the router's own counters for the new colour. {@code maxErrorRate}: the share of its requests
 * that may fail in a window (the strategy's top-level {@code maxErrorRate} when left out); {@code maxP99}: the 99th
 * percentile of its latency may not exceed this (no bound when left out); {@code window}: each measurement judges the
 * last this much of the traffic (10s by default), so a version that degrades late in a long bake is not diluted.
 */
public record RouterMetricSettings(Double maxErrorRate, Duration maxP99, Duration window) implements KindSettings {
    public RouterMetricSettings {
        window = Durations.positive("window", window, Duration.ofSeconds(10));
        if (maxErrorRate != null && (maxErrorRate < 0 || maxErrorRate > 1)) {
            throw new IllegalArgumentException("maxErrorRate must be between 0 and 1 (a share of requests), got " + maxErrorRate);
        }
        maxP99 = maxP99 == null ? null : Durations.positive("maxP99", maxP99, null);
    }
}
