package dev.switchman.health.tcp;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Probe;
import dev.switchman.health.ProbeErrors;
import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Duration;

/**
 * A probe that passes when a TCP connection to the endpoint opens; the connection is closed at once. Nothing is
 * sent, so a slot that accepts connections but cannot serve still passes: the check of a port, not of the
 * application.
 */
public final class TcpHealthCheck implements Probe, AutoCloseable {
    private final Clock clock;
    private final NetClient client;

    public TcpHealthCheck(Vertx vertx, Clock clock) {
        this.clock = clock;
        this.client = vertx.createNetClient(new NetClientOptions());
    }

    @Override
    public Future<Measurement> probe(Endpoint endpoint, String expectedVersion, Duration limit) {
        ConnectOptions options = new ConnectOptions().setHost(endpoint.host()).setPort(endpoint.port())
                .setTimeout((int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
        // A connection that opens after the loop stopped waiting is closed all the same.
        return client.connect(options)
                .compose(socket -> socket.close().otherwiseEmpty()
                        .map(v -> new Measurement(clock.instant(), Phase.SUCCESS, "connected to " + endpoint)))
                .recover(e -> Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR,
                        ProbeErrors.describe(e, endpoint, limit, endpoint.toString()))));
    }

    @Override
    public void close() {
        client.close();
    }
}
