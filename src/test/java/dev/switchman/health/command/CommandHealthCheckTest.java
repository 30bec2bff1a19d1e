package dev.switchman.health.command;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.HealthCheckContract;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.ProbeLoop;
import dev.switchman.health.ProbeSchedule;
import dev.switchman.health.SlotColours;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command probe running real processes, in the {@link ProbeLoop} as {@code health.type: command} is. */
class CommandHealthCheckTest extends HealthCheckContract {
    private static final Clock CLOCK = Clock.systemUTC();
    /** What the contract's checks run: a GET of the endpoint, failing on a refused connection or an error status. */
    private static final List<String> CURL = List.of("curl", "-fsS", "-o", "/dev/null", "{url}/health");

    @TempDir
    Path dir;

    @Override
    protected HealthCheck check(ProbeSchedule schedule) {
        return loop(CURL, schedule, SlotColours.none());
    }

    @Test
    void aFailingCommandFailsWithTheLastLinesOfItsOutput() {
        List<String> command = List.of("sh", "-c", "for i in 1 2 3 4 5 6 7; do echo line $i >&2; done; exit 3");

        Measurement measurement = await(loop(command, schedule(20, 2000, 1, 5000), SlotColours.none()).probe(dead(), VERSION));

        assertThat(measurement.phase()).isEqualTo(Phase.FAILURE);
        assertThat(measurement.detail()).startsWith("sh -c for i in").contains(" exited with 3: ")
                .endsWith("line 3\nline 4\nline 5\nline 6\nline 7");
    }

    @Test
    void theCommandGetsTheEndpointVersionAndColourAsPlaceholders() {
        int blue = Ports.free();
        int green = blue == 65535 ? blue - 1 : blue + 1;
        List<String> command = List.of("sh", "-c", "echo \"$@\" >&2; exit 1", "sh",
                "{host}", "{port}", "{url}", "{version}", "{colour}", "{app}");

        Measurement measurement = await(loop(command, schedule(20, 2000, 1, 5000), SlotColours.byPort(blue, green))
                .probe(new Endpoint("127.0.0.1", green), "v7"));

        assertThat(measurement.detail()).endsWith(": 127.0.0.1 " + green + " http://127.0.0.1:" + green + " v7 green shop");
    }

    @Test
    void aCommandRunningOverTheTimeoutIsStoppedWithWhatItStarted() throws IOException {
        List<String> command = List.of("sh", "-c", "sleep 30 & echo $! > child; echo $$ > pid; wait");

        Measurement measurement = await(loop(command, schedule(20, 400, 1, 5000), SlotColours.none()).probe(dead(), VERSION));

        assertThat(measurement.phase()).isEqualTo(Phase.ERROR);
        assertThat(measurement.detail()).startsWith("timed out after 400ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> written(dir.resolve("pid")) && written(dir.resolve("child")));
        long shell = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        long sleep = Long.parseLong(Files.readString(dir.resolve("child")).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> !alive(shell) && !alive(sleep));
    }

    @Test
    void aProgramThatDoesNotExistIsRefusedBeforeAnyProbe() {
        CommandHealthCheck probe = probe(List.of("no-such-health-program", "{url}"), SlotColours.none());

        assertThatThrownBy(probe::check).isInstanceOf(ConfigException.class)
                .hasMessageContaining("health.command[0]").hasMessageContaining("'no-such-health-program'");
    }

    @Test
    void theColourWithoutAPortPerColourIsRefusedBeforeAnyProbe() {
        CommandHealthCheck probe = probe(List.of("sh", "-c", "true", "{colour}"), SlotColours.none());

        assertThatThrownBy(probe::check).isInstanceOf(ConfigException.class).hasMessageContaining("{colour}");
    }

    @Test
    void badSettingsNameTheirKey() {
        assertThatThrownBy(() -> settings(List.of(), schedule(20, 2000, 1, 5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("health.command is required");
        assertThatThrownBy(() -> settings(List.of("curl", "{url}/{path}"), schedule(20, 2000, 1, 5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("health.command[1]: unknown placeholder {path}");
    }

    @Test
    void theCommandDoesNotSeeTheDatabasePasswordNorTheRouterToken() {
        Map<String, String> env = CommandHealthCheckProvider.environment(Map.of("PATH", "/usr/bin", "PGPASSWORD", "p1",
                "APP_DB_PASSWORD", "p2", "SWITCHMAN_ROUTER_TOKEN", "t"), "APP_DB_PASSWORD");

        assertThat(env).containsExactly(Map.entry("PATH", "/usr/bin"));
    }

    // ---- helpers

    private HealthCheck loop(List<String> command, ProbeSchedule schedule, SlotColours colours) {
        CommandHealthCheck probe = probe(command, schedule, colours);
        probe.check();
        return new ProbeLoop(vertx, schedule, probe, CLOCK);
    }

    private CommandHealthCheck probe(List<String> command, SlotColours colours) {
        return probe(command, schedule(20, 2000, 1, 5000), colours);
    }

    private CommandHealthCheck probe(List<String> command, ProbeSchedule schedule, SlotColours colours) {
        return new CommandHealthCheck(vertx, settings(command, schedule), dir, new Placeholders(Map.of("app", "shop")),
                colours, CommandHealthCheckProvider.environment(System.getenv(), null), dir.resolve("logs/health.log"), CLOCK);
    }

    private static CommandHealthSettings settings(List<String> command, ProbeSchedule schedule) {
        return new CommandHealthSettings(command, null, schedule.interval(), schedule.timeout(), schedule.successes(),
                schedule.deadline(), schedule.failures());
    }

    private static boolean written(Path file) throws IOException {
        return Files.exists(file) && Files.readString(file).endsWith("\n");
    }

    private static boolean alive(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }
}
