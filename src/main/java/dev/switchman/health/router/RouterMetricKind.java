package dev.switchman.health.router;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.StrategyConfig;
import dev.switchman.health.MetricKind;
import dev.switchman.health.MetricProvider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;

/** {@code type: router}: judges the new colour by the router's own counters. */
public final class RouterMetricKind implements MetricKind {
    @Override
    public String type() {
        return "router";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return RouterMetricSettings.class;
    }

    @Override
    public MetricProvider create(ProviderContext ctx, Kind kind, Router router) {
        RouterMetricSettings settings = kind.settings(RouterMetricSettings.class);
        StrategyConfig strategy = ctx.config().strategy();
        double maxErrorRate = settings.maxErrorRate() == null ? strategy.maxErrorRate() : settings.maxErrorRate();
        return new RouterCounters(router, maxErrorRate, settings.maxP99(), settings.window(), strategy.analysis().minRequests(), ctx.clock());
    }
}
