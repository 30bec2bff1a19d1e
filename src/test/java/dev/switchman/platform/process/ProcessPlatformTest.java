package dev.switchman.platform.process;

import static dev.switchman.platform.Processes.gone;
import static dev.switchman.platform.Processes.pgidAndSid;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchman.config.Kind;
import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import dev.switchman.config.StrategyConfig;
import dev.switchman.config.SwitchmanConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.Platform;
import dev.switchman.platform.PlatformProvider;
import dev.switchman.platform.SlotServer;
import dev.switchman.spi.Kinds;
import dev.switchman.spi.ProviderContext;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What is particular to slots as local processes; what every platform does is in {@link ProcessPlatformContractTest}. */
class ProcessPlatformTest extends SlotTestSupport {

    private final List<Supplier<Future<Void>>> stops = new ArrayList<>();

    @AfterEach
    void stopWhatWasStarted() {
        // Every slot is stopped even when one stop fails, so that no server outlives the test.
        await(Future.join(stops.stream().map(Supplier::get).toList()));
    }

    @Test
    void deploysADetachedSlotInItsOwnSessionLoggingToItsFile() throws Exception {
        ProcessPlatform platform = platform(SlotServer.command(script), Map.of(), Duration.ofSeconds(5));

        SlotRecord slot = deploy(platform, Colour.GREEN, "v1");

        long pid = Long.parseLong(slot.handle());
        assertThat(slot.application()).isEqualTo("shop");
        assertThat(slot.endpoints()).containsExactly(new Endpoint("127.0.0.1", greenPort));
        assertThat(slot.startedAt()).isEqualTo(ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow());
        assertThat(Path.of(slot.logFile())).isEqualTo(dir.resolve("state/logs/shop-green-v1.log"));
        assertThat(dir.resolve("state/slots/shop-green.json")).exists();
        assertThat(SlotServer.get(slot.endpoints().getFirst())).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(Path.of(slot.logFile())))
                .contains("serving v1 on " + greenPort)
                .contains("home=" + System.getenv().getOrDefault("HOME", ""))
                .contains("GET / HTTP/1.1"));

        long[] ids = pgidAndSid(pid);
        assertThat(ids[0]).as("pgid").isEqualTo(pid);
        assertThat(ids[1]).as("session").isEqualTo(pid).isNotEqualTo(pgidAndSid(ProcessHandle.current().pid())[1]);

        await(platform.stop(slot));

        assertThat(gone(pid)).isTrue();
    }

    @Test
    void stopEndsTheWholeProcessGroup() throws Exception {
        ProcessPlatform platform = platform(SlotServer.command(script), Map.of("SPAWN_CHILD", "1"), Duration.ofSeconds(5));
        SlotRecord slot = deploy(platform, Colour.BLUE, "v1");
        long pid = Long.parseLong(slot.handle());
        long child = childPid(Path.of(slot.logFile()));
        assertThat(pgidAndSid(child)[0]).as("child's pgid").isEqualTo(pid);

        await(platform.stop(slot));

        assertThat(gone(pid)).isTrue();
        assertThat(gone(child)).as("child " + child).isTrue();
    }

    @Test
    void stopSendsSigtermFirstSoTheSlotCanFinish() throws Exception {
        Path marker = dir.resolve("terminated");
        Duration grace = Duration.ofSeconds(30);
        ProcessPlatform platform = platform(SlotServer.command(script), Map.of("TERM_MARKER", marker.toString()),
                Duration.ofSeconds(5), grace);
        SlotRecord slot = deploy(platform, Colour.GREEN, "v1");
        long pid = Long.parseLong(slot.handle());

        Instant before = Instant.now();
        await(platform.stop(slot));

        assertThat(marker).hasContent("finished on SIGTERM");
        assertThat(Duration.between(before, Instant.now())).as("no wait for the grace").isLessThan(grace);
        assertThat(gone(pid)).isTrue();
    }

    @Test
    void aSlotIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        Duration grace = Duration.ofMillis(300);
        ProcessPlatform platform = platform(SlotServer.command(script), Map.of("IGNORE_TERM", "1", "SPAWN_CHILD", "1"),
                Duration.ofSeconds(5), grace);
        SlotRecord slot = deploy(platform, Colour.GREEN, "v2");
        long pid = Long.parseLong(slot.handle());
        long child = childPid(Path.of(slot.logFile()));

        Instant before = Instant.now();
        await(platform.stop(slot));

        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(grace);
        assertThat(gone(pid)).isTrue();
        assertThat(gone(child)).isTrue();
    }

    @Test
    void aCommandThatExitsAtOnceFailsWithItsExitCodeAndLogTail() {
        ProcessPlatform platform = platform(List.of("sh", "-c", "echo starting {version}; echo 'fatal: no config' >&2; exit 3"),
                Map.of(), Duration.ofSeconds(30));

        Instant before = Instant.now();
        Throwable failure = catchThrowable(() -> deploy(platform, Colour.GREEN, "v3"));

        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(failure).isInstanceOf(ProcessPlatformException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("starting v3")
                .hasMessageContaining("fatal: no config")
                .hasMessageContaining(dir.resolve("state/logs/shop-green-v3.log").toString());
    }

    @Test
    void aPortAlreadyInUseFailsNamingTheKey() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", greenPort));
            ProcessPlatform platform = platform(SlotServer.command(script), Map.of(), Duration.ofSeconds(5));

            Throwable failure = catchThrowable(() -> deploy(platform, Colour.GREEN, "v1"));

            assertThat(failure).isInstanceOf(ProcessPlatformException.class)
                    .hasMessageContaining("platform.ports.green")
                    .hasMessageContaining("port " + greenPort)
                    .hasMessageContaining("already accepts connections");
            assertThat(dir.resolve("state/logs/shop-green-v1.log")).doesNotExist();
        }
    }

    @Test
    void aSlotThatMissesTheStartTimeoutIsStopped() throws Exception {
        ProcessPlatform platform = platform(List.of("sh", "-c", "echo waiting; exec sleep 30"), Map.of(), Duration.ofMillis(500));

        Throwable failure = catchThrowable(() -> deploy(platform, Colour.BLUE, "v1"));

        assertThat(failure).isInstanceOf(ProcessPlatformException.class)
                .hasMessageContaining("platform.startTimeout (500ms)")
                .hasMessageContaining("it was stopped")
                .hasMessageContaining("waiting");
        Matcher pid = Pattern.compile("\\(pid (\\d+)\\)").matcher(failure.getMessage());
        assertThat(pid.find()).isTrue();
        assertThat(gone(Long.parseLong(pid.group(1)))).isTrue();
    }

    @Test
    void theProviderBuildsThePlatformFromTheEnvironment() throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.copy(script, dir.resolve("app/server.py"));
        ProcessSettings settings = new ProcessSettings(
                List.of(SlotServer.PYTHON, "-u", "server.py", "{app}", "{db.name}"),
                Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{app}-{version}"),
                "app", "127.0.0.1", new ProcessSettings.SlotPorts(bluePort, greenPort), Duration.ofSeconds(5), Duration.ofSeconds(2));
        Kind platformKind = new Kind("platform", "process", settings);
        SwitchmanConfig config = new SwitchmanConfig("shop", "state", null, null, null, platformKind, null, null, null);
        LoadedConfig loaded = new LoadedConfig(dir.resolve("switchman.yaml"), config, StrategyConfig.blueGreen(Duration.ZERO));
        DatabaseInfo db = new DatabaseInfo("localhost", 5432, "shopdb", "shop", "PGPASSWORD");
        ProviderContext env = new ProviderContext(vertx, loaded, db, ProviderContext.basePlaceholders(loaded, db), Clock.systemUTC());

        Platform platform = Kinds.provider(PlatformProvider.class, platformKind).create(env, platformKind);
        SlotRecord slot = deploy(platform, Colour.BLUE, "v7");

        assertThat(platform).isInstanceOf(ProcessPlatform.class);
        assertThat(SlotServer.get(new Endpoint("127.0.0.1", bluePort))).isEqualTo("shop-v7");
        assertThat(Path.of(slot.logFile())).isEqualTo(dir.resolve("state/logs/shop-blue-v7.log"));
        assertThat(ProcessHandle.of(Long.parseLong(slot.handle())).orElseThrow().info().arguments().orElseThrow())
                .contains("shop", "shopdb");
        await(platform.stop(slot));
    }

    // ---- helpers

    private ProcessPlatform platform(List<String> command, Map<String, String> extraEnv, Duration startTimeout) {
        return platform(command, extraEnv, startTimeout, Duration.ofSeconds(2));
    }

    private ProcessPlatform platform(List<String> command, Map<String, String> extraEnv, Duration startTimeout, Duration stopGrace) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{version}"));
        env.putAll(extraEnv);
        ProcessSettings config = new ProcessSettings(command, env, ".", "127.0.0.1",
                new ProcessSettings.SlotPorts(bluePort, greenPort), startTimeout, stopGrace);
        Placeholders base = new Placeholders(Map.of("app", "shop", "stateDir", dir.resolve("state").toString()));
        return new ProcessPlatform(vertx, "shop", config, dir.resolve("state"), dir, base, Clock.systemUTC());
    }

    private SlotRecord deploy(Platform platform, Colour colour, String version) {
        SlotRecord slot = await(platform.deploy(colour, version));
        stops.add(() -> platform.stop(slot));
        return slot;
    }

    private static long childPid(Path logFile) {
        Pattern child = Pattern.compile("^child (\\d+)$", Pattern.MULTILINE);
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            Matcher m = child.matcher(Files.readString(logFile));
            return m.find() ? Long.parseLong(m.group(1)) : null;
        }, pid -> pid != null);
    }
}
