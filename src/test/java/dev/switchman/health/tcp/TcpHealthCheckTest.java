package dev.switchman.health.tcp;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthCheckContract;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.ProbeLoop;
import dev.switchman.health.ProbeSchedule;
import dev.switchman.model.Endpoint;
import dev.switchman.health.command.CommandHealthSettings;
import dev.switchman.spi.Kinds;
import io.vertx.core.net.NetServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP probe against real servers, run in the {@link ProbeLoop} as {@code health.type: tcp} is. */
class TcpHealthCheckTest extends HealthCheckContract {
    private static final Clock CLOCK = Clock.systemUTC();
    private final List<TcpHealthCheck> probes = new ArrayList<>();

    @Override
    protected HealthCheck check(ProbeSchedule schedule) {
        TcpHealthCheck probe = new TcpHealthCheck(vertx, CLOCK);
        probes.add(probe);
        return new ProbeLoop(vertx, schedule, probe, CLOCK);
    }

    @AfterEach
    void closeProbes() {
        probes.forEach(TcpHealthCheck::close);
    }

    @Test
    void aRefusedConnectionIsAnErrorNamingTheEndpoint() {
        Endpoint endpoint = dead();

        Measurement measurement = await(check(schedule(20, 1000, 1, 5000)).probe(endpoint, VERSION));

        assertThat(measurement.phase()).isEqualTo(Phase.ERROR);
        assertThat(measurement.detail()).isEqualTo("connection refused by " + endpoint);
    }

    @Test
    void aServerThatAcceptsButNeverAnswersPasses() {
        // Nothing is sent or read: the check is of the port, not of what listens on it.
        NetServer server = await(vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"));
        try {
            Endpoint endpoint = new Endpoint("127.0.0.1", server.actualPort());

            Measurement measurement = await(check(schedule(20, 1000, 1, 5000)).probe(endpoint, VERSION), Duration.ofSeconds(5));

            assertThat(measurement.phase()).isEqualTo(Phase.SUCCESS);
            assertThat(measurement.detail()).isEqualTo("connected to " + endpoint);
        } finally {
            await(server.close());
        }
    }

    @Test
    void bothNewKindsAreFoundByTheirType() {
        assertThat(Kinds.settingsType("health", "tcp")).isEqualTo(TcpHealthSettings.class);
        assertThat(Kinds.settingsType("health", "command")).isEqualTo(CommandHealthSettings.class);
    }

    @Test
    void readsOnlyTheSharedScheduleKeys() {
        TcpHealthSettings settings = new TcpHealthSettings(null, Duration.ofSeconds(1), null, null, null);

        assertThat(settings.schedule()).isEqualTo(new ProbeSchedule(null, Duration.ofSeconds(1), null, null, null));
    }
}
