package dev.switchman.platform.process;

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
import dev.switchman.spi.Kinds;
import dev.switchman.spi.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessPlatformTest {
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /** A tiny HTTP server on $HOST:$PORT; IGNORE_TERM and SPAWN_CHILD change how it dies. */
    private static final String SERVER = """
            import http.server, os, signal, subprocess, sys
            if os.environ.get("IGNORE_TERM"):
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if os.environ.get("SPAWN_CHILD"):
                child = subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"])
                print("child", child.pid, flush=True)
            print("home=" + os.environ.get("HOME", ""), flush=True)
            print("serving", os.environ["SLOT_VERSION"], "on", os.environ["PORT"], flush=True)
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = os.environ["SLOT_VERSION"].encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            http.server.HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Handler).serve_forever()
            """;

    private static Vertx vertx;

    @TempDir
    Path dir;
    private Path script;
    private int bluePort;
    private int greenPort;
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        result(vertx.close());
    }

    @BeforeEach
    void setUp() throws IOException {
        script = Files.writeString(dir.resolve("server.py"), SERVER);
        bluePort = freePort();
        do {
            greenPort = freePort();
        } while (greenPort == bluePort);
    }

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    @Test
    void deploysADetachedSlotThatServesLogsAndStops() throws Exception {
        ProcessPlatform platform = platform(List.of(PYTHON, "-u", script.toString()), Map.of(), Duration.ofSeconds(5));

        SlotRecord slot = deploy(platform, Colour.GREEN, "v1");

        long pid = Long.parseLong(slot.handle());
        assertThat(slot.application()).isEqualTo("shop");
        assertThat(slot.colour()).isEqualTo(Colour.GREEN);
        assertThat(slot.version()).isEqualTo("v1");
        assertThat(slot.endpoints()).containsExactly(new Endpoint("127.0.0.1", greenPort));
        assertThat(slot.startedAt()).isEqualTo(ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow());
        assertThat(Path.of(slot.logFile())).isEqualTo(dir.resolve("state/logs/shop-green-v1.log"));
        assertThat(get(greenPort)).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(Path.of(slot.logFile())))
                .contains("serving v1 on " + greenPort)
                .contains("home=" + System.getenv().getOrDefault("HOME", ""))
                .contains("GET / HTTP/1.1"));

        long[] ids = pgidAndSid(pid);
        assertThat(ids[0]).as("pgid").isEqualTo(pid);
        assertThat(ids[1]).as("session").isEqualTo(pid).isNotEqualTo(pgidAndSid(ProcessHandle.current().pid())[1]);
        assertThat(result(platform.isRunning(slot))).isTrue();

        result(platform.stop(slot));

        assertThat(gone(pid)).isTrue();
        assertThat(result(platform.isRunning(slot))).isFalse();
        assertThat(accepts(greenPort)).isFalse();
        result(platform.stop(slot)); // stopping a stopped slot succeeds
    }

    @Test
    void stopEndsTheWholeProcessGroup() throws Exception {
        ProcessPlatform platform = platform(List.of(PYTHON, "-u", script.toString()), Map.of("SPAWN_CHILD", "1"), Duration.ofSeconds(5));
        SlotRecord slot = deploy(platform, Colour.BLUE, "v1");
        long pid = Long.parseLong(slot.handle());
        long child = childPid(Path.of(slot.logFile()));
        assertThat(pgidAndSid(child)[0]).as("child's pgid").isEqualTo(pid);

        result(platform.stop(slot));

        assertThat(gone(pid)).isTrue();
        assertThat(gone(child)).as("child " + child).isTrue();
    }

    @Test
    void aSlotIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        Duration grace = Duration.ofMillis(300);
        ProcessPlatform platform = platform(List.of(PYTHON, "-u", script.toString()), Map.of("IGNORE_TERM", "1", "SPAWN_CHILD", "1"),
                Duration.ofSeconds(5), grace);
        SlotRecord slot = deploy(platform, Colour.GREEN, "v2");
        long pid = Long.parseLong(slot.handle());
        long child = childPid(Path.of(slot.logFile()));

        Instant before = Instant.now();
        result(platform.stop(slot));

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
            ProcessPlatform platform = platform(List.of(PYTHON, "-u", script.toString()), Map.of(), Duration.ofSeconds(5));

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
    void stoppingAStaleRecordSucceedsAtOnce() throws Exception {
        ProcessPlatform platform = platform(List.of("true"), Map.of(), Duration.ofSeconds(5));
        Process finished = new ProcessBuilder("true").start();
        Instant startedAt = finished.toHandle().info().startInstant().orElse(Instant.now());
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        SlotRecord dead = record(finished.pid(), startedAt);
        // A live pid that started at another instant: the slot's pid was recycled, by this JVM here.
        SlotRecord recycled = record(ProcessHandle.current().pid(), Instant.EPOCH);

        result(platform.stop(dead));
        result(platform.stop(recycled));

        assertThat(result(platform.isRunning(dead))).isFalse();
        assertThat(result(platform.isRunning(recycled))).isFalse();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void theProviderBuildsThePlatformFromTheEnvironment() throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.copy(script, dir.resolve("app/server.py"));
        ProcessSettings settings = new ProcessSettings(
                List.of(PYTHON, "-u", "server.py", "{app}", "{db.name}"),
                Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{app}-{version}"),
                "app", "127.0.0.1", new ProcessSettings.SlotPorts(bluePort, greenPort), Duration.ofSeconds(5), Duration.ofSeconds(2));
        Kind platformKind = new Kind("platform", "process", settings);
        SwitchmanConfig config = new SwitchmanConfig("shop", "state", null, null, null, platformKind, null, null, null);
        LoadedConfig loaded = new LoadedConfig(dir.resolve("switchman.yaml"), config, StrategyConfig.blueGreen(Duration.ZERO));
        DatabaseInfo db = new DatabaseInfo("localhost", 5432, "shopdb", "shop", "PGPASSWORD");
        ProviderContext env = new ProviderContext(vertx, loaded, db, ProviderContext.basePlaceholders(loaded, db), Clock.systemUTC());

        Platform platform = Kinds.provider(PlatformProvider.class, platformKind).create(env, platformKind);
        SlotRecord slot = result(platform.deploy(Colour.BLUE, "v7"));
        cleanups.add(() -> stopQuietly(platform, slot));

        assertThat(platform).isInstanceOf(ProcessPlatform.class);
        assertThat(get(bluePort)).isEqualTo("shop-v7");
        assertThat(Path.of(slot.logFile())).isEqualTo(dir.resolve("state/logs/shop-blue-v7.log"));
        assertThat(ProcessHandle.of(Long.parseLong(slot.handle())).orElseThrow().info().arguments().orElseThrow())
                .contains("shop", "shopdb");
        result(platform.stop(slot));
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

    private SlotRecord deploy(Platform platform, Colour colour, String version) throws Exception {
        SlotRecord slot = result(platform.deploy(colour, version));
        cleanups.add(() -> stopQuietly(platform, slot));
        return slot;
    }

    private static void stopQuietly(Platform platform, SlotRecord slot) {
        try {
            result(platform.stop(slot));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SlotRecord record(long pid, Instant startedAt) {
        return new SlotRecord("shop", Colour.BLUE, "v0", Long.toString(pid), startedAt,
                List.of(new Endpoint("127.0.0.1", 1)), "/dev/null");
    }

    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static long childPid(Path logFile) {
        Pattern child = Pattern.compile("^child (\\d+)$", Pattern.MULTILINE);
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            Matcher m = child.matcher(Files.readString(logFile));
            return m.find() ? Long.parseLong(m.group(1)) : null;
        }, pid -> pid != null);
    }

    /** {pgid, sid} as ps(1) reports them. */
    private static long[] pgidAndSid(long pid) throws Exception {
        String[] fields = run("ps", "-o", "pgid=,sid=", "-p", Long.toString(pid)).trim().split("\\s+");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    /** No such process, or only a zombie left for a parent that does not reap. */
    private static boolean gone(long pid) throws Exception {
        String state = run("ps", "-o", "stat=", "-p", Long.toString(pid)).trim();
        return state.isEmpty() || state.startsWith("Z");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return text;
        }
    }

    private static String get(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
