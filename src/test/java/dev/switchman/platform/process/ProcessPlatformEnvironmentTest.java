package dev.switchman.platform.process;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.Placeholders;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.SlotServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A slot started from a CD job must outlive the job: it does not carry the variables by which runners find a job's
 * processes to kill them. Read from the running slot's /proc/&lt;pid&gt;/environ, not from what the platform meant.
 */
class ProcessPlatformEnvironmentTest extends SlotTestSupport {
    /** What GitHub Actions, Jenkins and Azure Pipelines mark a job's processes with. */
    private static final Map<String, String> JOB_TRACKING = Map.of(
            "RUNNER_TRACKING_ID", "github_5b2c",
            "BUILD_ID", "417",
            "JENKINS_NODE_COOKIE", "9f1e-node",
            "JENKINS_SERVER_COOKIE", "durable-77ab",
            "VSTS_PROCESS_LOOKUP_ID", "vsts_3c1d");

    @Test
    void aSlotStartedFromACdJobCarriesNoneOfItsTrackingVariables() throws IOException {
        Map<String, String> coordinator = coordinatorEnv();
        ProcessPlatform platform = platform(Map.of(), coordinator);

        Map<String, String> slotEnv = environOfSlot(platform);

        assertThat(slotEnv).doesNotContainKeys(JOB_TRACKING.keySet().toArray(String[]::new))
                .doesNotContainKey("SWITCHMAN_ROUTER_TOKEN")
                // The rest of the coordinator's environment passes, the database password with it.
                .containsEntry("SHOP_DB_PASSWORD", "s3cret")
                .containsEntry("KEPT_FOR_THE_SLOT", "yes")
                .containsEntry("PATH", coordinator.get("PATH"));
    }

    @Test
    void aSlotGetsLibpqsVariablesForItsDatabaseSoAnyClientConnects() throws IOException {
        Map<String, String> coordinator = coordinatorEnv();
        coordinator.put("PGHOST", "a-host-the-ci-job-set");
        DatabaseInfo db = new DatabaseInfo("db.internal", 6543, "shopdb", "shop_app", "SHOP_DB_PASSWORD", "sslmode=require");
        ProcessPlatform platform = platform(Map.of("PGAPPNAME", "shop-{colour}"), coordinator, db.libpqEnvironment(coordinator));

        Map<String, String> slotEnv = environOfSlot(platform);

        assertThat(slotEnv).containsEntry("PGHOST", "db.internal").containsEntry("PGPORT", "6543")
                .containsEntry("PGDATABASE", "shopdb").containsEntry("PGUSER", "shop_app")
                .containsEntry("PGPASSWORD", "s3cret").containsEntry("PGSSLMODE", "require")
                .containsEntry("PGAPPNAME", "shop-green");
        assertThat(db.libpqUrl()).isEqualTo("postgresql://shop_app@db.internal:6543/shopdb?sslmode=require");
    }

    @Test
    void platformEnvMaySetATrackingVariableExplicitly() throws IOException {
        ProcessPlatform platform = platform(Map.of("BUILD_ID", "dontKillMe-{colour}"), coordinatorEnv());

        Map<String, String> slotEnv = environOfSlot(platform);

        assertThat(slotEnv).containsEntry("BUILD_ID", "dontKillMe-green").doesNotContainKey("RUNNER_TRACKING_ID");
    }

    // ---- helpers

    private static Map<String, String> coordinatorEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(JOB_TRACKING);
        env.put("SWITCHMAN_ROUTER_TOKEN", "router-admin-token");
        env.put("SHOP_DB_PASSWORD", "s3cret");
        env.put("KEPT_FOR_THE_SLOT", "yes");
        return env;
    }

    /** Starts a green slot, reads the environment of its running process, stops it. */
    private Map<String, String> environOfSlot(ProcessPlatform platform) throws IOException {
        SlotRecord slot = await(platform.deploy(Colour.GREEN, "v1"));
        try {
            return environ(Long.parseLong(slot.handle()));
        } finally {
            await(platform.stop(slot));
        }
    }

    private static Map<String, String> environ(long pid) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        Map<String, String> env = new HashMap<>();
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    private ProcessPlatform platform(Map<String, String> extraEnv, Map<String, String> coordinatorEnv) {
        return platform(extraEnv, coordinatorEnv, Map.of());
    }

    private ProcessPlatform platform(Map<String, String> extraEnv, Map<String, String> coordinatorEnv,
                                     Map<String, String> databaseEnv) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{version}"));
        env.putAll(extraEnv);
        ProcessSettings config = new ProcessSettings(SlotServer.command(script), env, ".", "127.0.0.1",
                new ProcessSettings.SlotPorts(bluePort, greenPort), Duration.ofSeconds(10), Duration.ofSeconds(2));
        Placeholders base = new Placeholders(Map.of("app", "shop", "stateDir", dir.resolve("state").toString()));
        return new ProcessPlatform(vertx, "shop", config, dir.resolve("state"), dir, base, Clock.systemUTC(),
                coordinatorEnv, databaseEnv);
    }
}
