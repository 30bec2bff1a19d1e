package dev.switchman.health.comparison;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import java.time.Duration;

/**
 * {@code type: comparison}: the new colour against the live one, on the router's counters.
 * {@code maxErrorRateIncrease}: how far the new colour's error rate may exceed the live one's (0.01: one point);
 * {@code maxP99Increase}: how much slower its 99th percentile latency may be. At least one is needed.
 */
public record ComparisonSettings(Double maxErrorRateIncrease, Duration maxP99Increase) implements KindSettings {
    public ComparisonSettings {
        if (maxErrorRateIncrease == null && maxP99Increase == null) {
            throw new IllegalArgumentException("a comparison needs maxErrorRateIncrease (e.g. 0.01) or maxP99Increase (e.g. 100ms)");
        }
        if (maxErrorRateIncrease != null && (maxErrorRateIncrease < 0 || maxErrorRateIncrease > 1)) {
            throw new IllegalArgumentException("maxErrorRateIncrease must be between 0 and 1 (a share of requests), got "
                    + maxErrorRateIncrease);
        }
        maxP99Increase = maxP99Increase == null ? null : Durations.notNegative("maxP99Increase", maxP99Increase, null);
    }
}
