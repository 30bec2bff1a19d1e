package dev.switchman.health.prometheus;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.MetricKind;
import dev.switchman.health.MetricProvider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;

/** {@code type: prometheus}: judges the new colour by a PromQL query's value against a condition. */
public final class PrometheusMetricKind implements MetricKind {
    @Override
    public String type() {
        return "prometheus";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return PrometheusMetricSettings.class;
    }

    @Override
    public MetricProvider create(ProviderContext ctx, Kind kind, Router router) {
        return new PrometheusQuery(ctx.vertx(), kind.settings(PrometheusMetricSettings.class), ctx.clock(), System::getenv);
    }
}
