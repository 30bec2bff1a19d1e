package dev.switchman.health.webhook;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.MetricKind;
import dev.switchman.health.MetricProvider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;

/** {@code type: webhook}: judges the new colour by asking the user's own service for go, no-go or inconclusive. */
public final class WebhookMetricKind implements MetricKind {
    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return WebhookSettings.class;
    }

    @Override
    public MetricProvider create(ProviderContext ctx, Kind kind, Router router) {
        return new Webhook(ctx.vertx(), kind.settings(WebhookSettings.class), ctx.clock(), System::getenv);
    }
}
