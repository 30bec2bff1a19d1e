package dev.switchman.health.http;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthProvider;
import dev.switchman.health.ProbeLoop;
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
        HttpHealthSettings settings = kind.settings(HttpHealthSettings.class);
        HttpHealthCheck probe = new HttpHealthCheck(ctx.vertx(), settings, ctx.clock(), ctx.placeholders());
        return new ProbeLoop(ctx.vertx(), settings.schedule(), probe, ctx.clock());
    }
}
