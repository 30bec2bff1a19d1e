package dev.switchman.health.http;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthProvider;
import dev.switchman.spi.ProviderContext;

/** {@code health.type: http}: a GET on each endpoint, judged by its status and optionally a JSON field. */
public final class HttpHealthCheckProvider implements HealthProvider {
    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return HttpHealthSettings.class;
    }

    @Override
    public HealthCheck create(ProviderContext ctx, Kind kind) {
        return new HttpHealthCheck(ctx.vertx(), kind.settings(HttpHealthSettings.class), ctx.clock(), ctx.placeholders());
    }
}
