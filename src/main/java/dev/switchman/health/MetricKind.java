package dev.switchman.health;

import dev.switchman.config.Kind;
import dev.switchman.spi.Provider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;

/**
 * Builds the {@link MetricProvider} named by a strategy's {@code analysis.metrics[].type}. A metric may read the
 * router's own counters, so it is built with the router the release works through.
 */
public interface MetricKind extends Provider<MetricProvider> {
    /** The strategy's list a metric is written in; messages name it. */
    String SECTION = "analysis.metrics";

    @Override
    default String section() {
        return SECTION;
    }

    MetricProvider create(ProviderContext ctx, Kind kind, Router router);

    @Override
    default MetricProvider create(ProviderContext ctx, Kind kind) {
        throw new UnsupportedOperationException("a metric is built with the router: create(ctx, kind, router)");
    }
}
