package dev.switchman.health;

import dev.switchman.config.StrategyConfig;

/** One of a strategy's metrics, built: what the strategy wrote of it, and the provider that measures it. */
public record Metric(StrategyConfig.Metric spec, MetricProvider provider) {
    public String name() {
        return spec.type();
    }
}
