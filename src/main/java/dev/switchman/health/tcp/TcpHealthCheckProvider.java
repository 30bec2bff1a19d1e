package dev.switchman.health.tcp;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthProvider;
import dev.switchman.health.ProbeLoop;
import dev.switchman.spi.ProviderContext;

/** {@code health.type: tcp}: each endpoint passes when a TCP connection to it opens. */
public final class TcpHealthCheckProvider implements HealthProvider {
    @Override
    public String type() {
        return "tcp";
    }

    @Override
    public Class<? extends KindSettings> settingsType() {
        return TcpHealthSettings.class;
    }

    @Override
    public HealthCheck create(ProviderContext ctx, Kind kind) {
        TcpHealthSettings settings = kind.settings(TcpHealthSettings.class);
        return new ProbeLoop(ctx.vertx(), settings.schedule(), new TcpHealthCheck(ctx.vertx(), ctx.clock()), ctx.clock());
    }
}
