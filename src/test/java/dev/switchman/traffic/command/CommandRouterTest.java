package dev.switchman.traffic.command;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Endpoint;
import dev.switchman.spi.Kinds;
import dev.switchman.spi.ProviderContext;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterProvider;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command router's own behaviour, with real processes: no status command, failing commands, bad config. */
class CommandRouterTest {
    private static final List<Endpoint> BLUE_ENDPOINTS = List.of(new Endpoint("127.0.0.1", 9001), new Endpoint("127.0.0.1", 9002));
    private static final List<Endpoint> GREEN_ENDPOINTS = List.of(new Endpoint("127.0.0.1", 9003));
    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    @Test
    void withoutAStatusCommandTheLastTargetSetIsKeptForAnyProcess() throws IOException {
        // Records its arguments, and refuses all traffic to green as a load balancer might.
        List<String> setWeights = List.of("sh", "-c", "echo \"$@\" > \"$LB_FILE\"; [ \"$2\" != 100 ] || { echo 'lb: green"
                + " is not ready' >&2; exit 3; }", "sh", "{blue.weight}", "{green.weight}", "{blue.endpoints}",
                "{green.endpoints}", "{app}", "{target.json}");
        CommandRouterSettings settings = new CommandRouterSettings(setWeights, null, null, null, null, null,
                Map.of("LB_FILE", "{stateDir}/{app}-lb.args"));
        CommandRouter router = router(settings);

        assertThat(await(router.status()).target()).as("never set").isNull();
        assertThat(await(router.verify(split(0)))).as("before any target was set").isFalse();

        await(router.setWeights(split(30)));

        assertThat(Files.readString(dir.resolve("shop-lb.args")).strip()).isEqualTo("70 30 127.0.0.1:9001,127.0.0.1:9002"
                + " 127.0.0.1:9003 shop {\"blue\":{\"weight\":70,\"endpoints\":[\"127.0.0.1:9001\",\"127.0.0.1:9002\"]},"
                + "\"green\":{\"weight\":30,\"endpoints\":[\"127.0.0.1:9003\"]}}");
        assertThat(await(router.verify(split(30)))).isTrue();
        assertThat(await(router.verify(split(50)))).as("other weights").isFalse();
        CommandRouter another = router(settings);
        RouterStatus status = await(another.status());
        assertThat(status.target()).as("seen by another router client on the state dir").isEqualTo(split(30));
        assertThat(status.stats()).as("no counts without a status command").isEmpty();
        assertThat(status.stats(BLUE)).isEqualTo(RouterStatus.ColourStats.NONE);
        assertThat(await(another.verify(split(30)))).isTrue();

        assertThatThrownBy(() -> await(router.setWeights(split(100)))).hasMessageContaining("exited with 3");
        assertThat(await(router.verify(split(30)))).as("a failed setWeights may have changed something").isFalse();
        assertThat(await(router.verify(split(100)))).as("the target that failed").isFalse();
        assertThat(await(another.status()).target()).as("the last target applied").isEqualTo(split(30));

        await(router.setWeights(TrafficTarget.none()));
        assertThat(await(another.verify(TrafficTarget.none()))).isTrue();
        assertThat(Files.readString(dir.resolve("shop-lb.args")).strip()).startsWith("0 0   shop {}");
    }

    @Test
    void aFailingSetWeightsFailsWithTheLastLinesOfItsOutput() {
        List<String> setWeights = List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo step $i >&2; done;"
                + " echo 'lb: no such pool' >&2; exit 3");
        CommandRouter router = router(new CommandRouterSettings(setWeights, null, null, null, null, null, null));

        assertThatThrownBy(() -> await(router.setWeights(split(50))))
                .hasMessageStartingWith("router.setWeights: sh -c for i in")
                .hasMessageContaining(" exited with 3. Last lines of its output (all of it in " + dir.resolve("logs/shop-router.log"))
                .hasMessageEndingWith("step 4\nstep 5\nstep 6\nstep 7\nstep 8\nstep 9\nstep 10\nlb: no such pool");
        assertThat(await(router.verify(split(50)))).isFalse();
    }

    @Test
    void aStatusPrintingSomethingElseIsAnErrorShowingWhatItPrinted() {
        CommandRouter garbage = router(new CommandRouterSettings(List.of("true"),
                List.of("sh", "-c", "echo '<html><body>502 Bad Gateway</body></html>'"), null, null, null, null, null));
        assertThatThrownBy(() -> await(garbage.status()))
                .hasMessageStartingWith("router.status: sh -c echo")
                .hasMessageContaining("not the router's status JSON (it is not a JSON object")
                .hasMessageEndingWith(": <html><body>502 Bad Gateway</body></html>");
        assertThatThrownBy(() -> await(garbage.verify(split(50)))).hasMessageStartingWith("router.status: ");

        CommandRouter wrongShape = router(new CommandRouterSettings(List.of("true"),
                List.of("sh", "-c", "echo '{\"blue\": {\"weight\": \"all\"}}'"), null, null, null, null, null));
        assertThatThrownBy(() -> await(wrongShape.status()))
                .hasMessageStartingWith("router.status: ")
                .hasMessageContaining("blue.weight: expected a whole number 0-100");

        CommandRouter long_ = router(new CommandRouterSettings(List.of("true"),
                List.of("sh", "-c", "printf 'x%.0s' $(seq 1 5000)"), null, null, null, null, null));
        assertThatThrownBy(() -> await(long_.status()))
                .hasMessageContaining("... (5000 chars)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000));
    }

    @Test
    void aStatusPrintingTheBareTargetReportsItWithoutCounts() {
        CommandRouter router = router(new CommandRouterSettings(List.of("true"), List.of("echo",
                "{\"blue\":{\"weight\":100,\"endpoints\":[\"127.0.0.1:9001\",\"127.0.0.1:9002\"]},"
                        + "\"green\":{\"weight\":0,\"endpoints\":[\"127.0.0.1:9003\"]}}"), null, null, null, null, null));
        assertThat(await(router.status()).stats()).isEmpty();
        assertThat(await(router.verify(split(0)))).isTrue();
        assertThat(await(router.verify(split(10)))).isFalse();
    }

    @Test
    void aCommandRunningPastTheTimeoutIsStopped() {
        CommandRouter router = router(new CommandRouterSettings(List.of("sleep", "30"), null, null, null,
                Duration.ofMillis(300), null, null));
        assertThatThrownBy(() -> await(router.setWeights(split(50))))
                .hasMessageStartingWith("router.setWeights: sleep 30 ran longer than router.timeout (300ms) and was stopped");
    }

    @Test
    void drainRunsItsCommandForTheColourOrWaitsTheDrainTime() throws IOException {
        CommandRouter draining = router(new CommandRouterSettings(List.of("true"), null,
                List.of("sh", "-c", "echo \"$1\" >> drained; [ \"$1\" = blue ] || exit 4", "sh", "{colour}"),
                null, null, null, null));
        await(draining.drain(BLUE));
        assertThatThrownBy(() -> await(draining.drain(GREEN))).hasMessageStartingWith("router.drain: ").hasMessageContaining("exited with 4");
        assertThat(Files.readAllLines(dir.resolve("drained"))).containsExactly("blue", "green");

        CommandRouter waiting = router(new CommandRouterSettings(List.of("true"), null, null, Duration.ofMillis(300),
                null, null, null));
        long start = System.nanoTime();
        await(waiting.drain(GREEN));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited the drain time").isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void theCommandsSeeNeitherTheDatabasePasswordNorTheBuiltinRoutersToken() {
        Map<String, String> env = CommandRouterProvider.environment(Map.of("PATH", "/usr/bin:/bin", "PGPASSWORD", "a",
                "SHOP_DB_PASSWORD", "b", "SWITCHMAN_ROUTER_TOKEN", "c", "RUNNER_TRACKING_ID", "d", "LB_REGION", "eu"), "SHOP_DB_PASSWORD");
        assertThat(env).containsOnlyKeys("PATH", "LB_REGION");
    }

    @Test
    void theConfigSectionIsReadAndBuiltByItsProvider() throws IOException {
        Path file = config("""
                  setWeights: [sh, -c, "echo $LB", sh, "{green.weight}"]
                  status: [cat, "{stateDir}/lb.json"]
                  drainTime: 2s
                  timeout: 5s
                  env: { LB: "{app}-pool" }
                """);
        LoadedConfig loaded = Kinds.loadConfig(file);
        CommandRouterSettings settings = loaded.config().router().settings(CommandRouterSettings.class);
        assertThat(settings.status()).containsExactly("cat", "{stateDir}/lb.json");
        assertThat(settings.drainTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.env()).containsEntry("LB", "{app}-pool");
        assertThat(create(loaded)).isInstanceOf(CommandRouter.class);
    }

    @Test
    void aMissingProgramIsAnErrorNamingTheKey() throws IOException {
        LoadedConfig loaded = Kinds.loadConfig(config("  setWeights: [no-such-lb-cli, set, \"{target.json}\"]\n"));
        assertThatThrownBy(() -> create(loaded)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("router.setWeights[0]: program 'no-such-lb-cli' is not on");

        LoadedConfig badStatus = Kinds.loadConfig(config("  setWeights: [\"true\"]\n  status: [./lb-status.sh]\n"));
        assertThatThrownBy(() -> create(badStatus)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("router.status[0]: './lb-status.sh' is ");
    }

    @Test
    void badKeysAreErrorsNamingThem() throws IOException {
        assertThatThrownBy(() -> Kinds.loadConfig(config("  status: [\"true\"]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router.setWeights is required");
        assertThatThrownBy(() -> Kinds.loadConfig(config("  setWeights: [lb, \"{blue.weigth}\"]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router.setWeights[1]: unknown placeholder {blue.weigth}");
        assertThatThrownBy(() -> Kinds.loadConfig(config("  setWeights: [lb]\n  status: [lb, \"{green.weight}\"]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router.status[1]: unknown placeholder {green.weight}");
        assertThatThrownBy(() -> Kinds.loadConfig(config("  setWeights: [lb]\n  env: { X: \"{target.json}\" }\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router.env.X: unknown placeholder {target.json}");
        assertThatThrownBy(() -> Kinds.loadConfig(config("  setWeights: [lb]\n  timeout: 0s\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router.timeout must be positive");
    }

    // ---- helpers

    private CommandRouter router(CommandRouterSettings settings) {
        CommandRouter router = new CommandRouter(vertx, settings, dir, "shop", dir,
                CommandRouterProvider.environment(System.getenv(), null), null, Clock.systemUTC());
        router.check();
        return router;
    }

    private Path config(String routerKeys) throws IOException {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, "application: shop\nstateDir: state\nplatform:\n  command: [x]\nrouter:\n  type: command\n" + routerKeys);
        return file;
    }

    private static Router create(LoadedConfig loaded) {
        DatabaseInfo database = new DatabaseInfo("127.0.0.1", 5432, "shop", "shop", null);
        ProviderContext ctx = new ProviderContext(vertx, loaded, database, ProviderContext.basePlaceholders(loaded, database),
                Clock.systemUTC());
        return Kinds.provider(RouterProvider.class, loaded.config().router()).create(ctx, loaded.config().router());
    }

    private static TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, greenWeight);
    }
}
