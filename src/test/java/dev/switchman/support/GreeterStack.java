package dev.switchman.support;

import dev.switchman.cli.Main;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.SlotRecord;
import dev.switchman.spi.Kinds;
import dev.switchman.store.PgReleaseStore;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.builtin.BuiltinRouter;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import dev.switchman.traffic.builtin.BuiltinRouterSettings;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real stack for end-to-end tests of a release: a fresh PostgreSQL database, the builtin router (in this JVM,
 * driven through its admin API like a separate one), and the Python "greeter" application started by the
 * process platform. Faults are switched on by files in {@code faults/}: {@code <colour>-crash} (exits at start),
 * {@code <colour>-unhealthy} (health answers 503), {@code <colour>-errors} (requests answer 500), {@code <colour>-lag}
 * (requests take 2 s).
 */
public final class GreeterStack implements AutoCloseable {
    public final Path dir;
    public final Path config;
    public final DatabaseInfo db;
    public final int routerPort;
    public final int adminPort;
    public final int bluePort;
    public final int greenPort;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private BuiltinRouterServer router;

    public GreeterStack(Path dir, String strategyYaml) throws IOException {
        this.dir = dir;
        this.db = TestDatabase.fresh();
        this.routerPort = Ports.free();
        this.adminPort = Ports.free();
        this.bluePort = Ports.free();
        this.greenPort = Ports.free();
        copyResource("apps/greeter/greeter.py", dir.resolve("greeter.py"));
        Files.createDirectories(dir.resolve("faults"));
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("strategy.yaml"), strategyYaml);
        this.config = dir.resolve("switchman.yaml");
        Files.writeString(config, """
                application: greeter
                stateDir: state
                database:
                  url: %s
                  user: %s
                changelog: db/{version}/changelog.sql
                platform:
                  type: process
                  command: ["python3", "greeter.py"]
                  env:
                    PORT: "{port}"
                    VERSION: "{version}"
                    COLOUR: "{colour}"
                    FAULTS_DIR: "%s"
                  ports: { blue: %d, green: %d }
                  startTimeout: 10s
                  stopGrace: 2s
                router:
                  port: %d
                  adminPort: %d
                  host: 127.0.0.1
                  drainTimeout: 5s
                health:
                  path: /health
                  jsonField: version
                  successes: 2
                  interval: 100ms
                  timeout: 1s
                  deadline: 3s
                strategy: strategy.yaml
                """.formatted(db.jdbcUrl(), db.user(), dir.resolve("faults"), bluePort, greenPort, routerPort, adminPort));
    }

    /** Rewrites this stack's config, e.g. to run another application or another migrator. */
    public void editConfig(UnaryOperator<String> edit) throws IOException {
        Files.writeString(config, edit.apply(Files.readString(config)));
    }

    public static String strategy(String bake, int... steps) {
        StringBuilder s = new StringBuilder("name: test\nsteps:\n");
        for (int i = 0; i < steps.length; i++) {
            s.append("  - weight: ").append(steps[i]).append("\n    pause: ").append(i < steps.length - 1 ? "1s" : "0s").append('\n');
        }
        // Most tests send no traffic: a window without requests passes here, which a real strategy should not allow.
        return s.append("bake: ").append(bake).append("\nmaxErrorRate: 0.05\nanalysis:\n  minRequests: 0\n").toString();
    }

    public void strategy(String yaml) throws IOException {
        Files.writeString(dir.resolve("strategy.yaml"), yaml);
    }

    /** Writes the changelog that version {@code version} ships. */
    public void changelog(String version, String formattedSql) throws IOException {
        Path file = dir.resolve("db").resolve(version).resolve("changelog.sql");
        Files.createDirectories(file.getParent());
        Files.writeString(file, formattedSql);
    }

    public void startRouter() {
        LoadedConfig loaded = Kinds.loadConfig(config);
        router = Futures.await(BuiltinRouterServer.start(vertx, loaded.config().router().settings(BuiltinRouterSettings.class), loaded.stateDir()));
    }

    public void stopRouter() {
        if (router != null) {
            Futures.await(router.close());
            router = null;
        }
    }

    public void fault(Colour colour, String kind, boolean on) throws IOException {
        Path flag = dir.resolve("faults").resolve(colour.id() + "-" + kind);
        if (on) {
            Files.writeString(flag, "");
        } else {
            Files.deleteIfExists(flag);
        }
    }

    /** Runs a command in this JVM, as the CLI would, returning its exit code and what it printed on stderr. */
    public Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-c");
        all.add(config.toString());
        return cliRaw(all.toArray(String[]::new));
    }

    /** Like {@link #cli} without adding this stack's config. */
    public Run cliRaw(String... all) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(err, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(all);
            return new Run(code, captured.toString(StandardCharsets.UTF_8), stdout.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    public record Run(int exitCode, String stderr, String stdout) {}

    /**
     * {@code switchman release <version> [args]} as a process of its own, so a test can signal or kill it at any
     * instant; its stdout goes to {@code coordinator-<version>.out}, its stderr to {@code coordinator-<version>.log}.
     */
    public Process releaseProcess(String version, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "release", version, "-c", config.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("coordinator-" + version + ".out").toFile())
                .redirectError(dir.resolve("coordinator-" + version + ".log").toFile())
                .start();
    }

    /** The body of GET / through the router, or the failure. */
    public String get() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + routerPort + "/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().trim();
        } catch (Exception e) {
            return "error " + e;
        }
    }

    /** The Prometheus text of the router's admin port. */
    public String routerMetrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public RouterStatus routerStatus() {
        LoadedConfig loaded = Kinds.loadConfig(config);
        return Futures.await(new BuiltinRouter(vertx, loaded.config().router().settings(BuiltinRouterSettings.class), loaded.stateDir()).status());
    }

    public Optional<ReleaseRecord> lastRelease() {
        try (PgReleaseStore store = PgReleaseStore.connect(vertx, Clock.systemUTC(), db)) {
            if (!exists("switchman.releases")) {
                return Optional.empty();
            }
            return Futures.await(store.history("greeter", 1)).stream().findFirst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process that serves {@code colour}'s slot now, from its slot record. */
    public ProcessHandle slotProcess(Colour colour) {
        try (PgReleaseStore store = PgReleaseStore.connect(vertx, Clock.systemUTC(), db)) {
            SlotRecord slot = Futures.await(store.slot("greeter", colour)).orElseThrow();
            return ProcessHandle.of(Long.parseLong(slot.handle())).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean exists(String table) throws SQLException {
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery("select to_regclass('" + table + "')")) {
            rs.next();
            return rs.getString(1) != null;
        }
    }

    public boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public List<String> columns(String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery(
                "select column_name from information_schema.columns where table_schema = 'public' and table_name = '"
                        + table + "' order by ordinal_position")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The changesets Liquibase recorded as applied, in order; none while Liquibase has no history table yet. */
    public List<String> appliedChangesets() throws SQLException {
        if (!exists("public.databasechangelog")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery(
                "select id from public.databasechangelog where exectype = 'EXECUTED'"
                        // Liquibase's own row for a tag on an empty history.
                        + " and filename <> 'liquibase-internal' order by orderexecuted")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Files the process platform wrote for slots it started: start notes and slot logs. */
    public List<Path> slotTraces() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path folder : List.of(dir.resolve("state/slots"), dir.resolve("state/logs"))) {
            if (Files.isDirectory(folder)) {
                try (var files = Files.list(folder)) {
                    files.filter(f -> f.getFileName().toString().startsWith("greeter-")).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The router's persisted weights, or empty when it was never given any. */
    public Optional<String> routerState() throws IOException {
        Path file = dir.resolve("state").resolve("router-" + routerPort + ".json");
        return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    @Override
    public void close() throws Exception {
        // Stop whatever slots the platform left, so no process outlives the test.
        cli("down", "--slots");
        stopRouter();
        vertx.close();
    }

    private static void copyResource(String resource, Path to) throws IOException {
        try (InputStream in = GreeterStack.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, to);
        }
    }

    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
