package dev.switchman.health.comparison;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.MetricKind;
import dev.switchman.health.MetricProvider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;

/** {@code type: comparison}: judges the new colour against the live one by the router's own counters. */
public final class ComparisonKind implements MetricKind {
    @Override
    public String type() {
        return "comparison";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return ComparisonSettings.class;
    }

    @Override
    public MetricProvider create(ProviderContext ctx, Kind kind, Router router) {
        return new Comparison(router, kind.settings(ComparisonSettings.class), ctx.config().strategy().analysis().minRequests(),
                ctx.clock());
    }
}
