package dev.switchman.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The environment Switchman gives the processes that outlive it, applied to a real ProcessBuilder and read back
 * from the child it starts. The router is started with {@link ChildEnvironment#withoutDatabasePassword}.
 */
class ChildEnvironmentTest {
    private static final List<String> JOB_TRACKING = List.of(
            "RUNNER_TRACKING_ID", "BUILD_ID", "JENKINS_NODE_COOKIE", "JENKINS_SERVER_COOKIE", "VSTS_PROCESS_LOOKUP_ID");

    @Test
    void theRoutersEnvironmentHasNoTrackingVariableNorTheDatabasePassword() throws Exception {
        ProcessBuilder builder = ChildEnvironment.use(new ProcessBuilder("env"),
                ChildEnvironment.withoutDatabasePassword(cdJob(), "SHOP_DB_PASSWORD"));

        for (Map<String, String> env : List.of(builder.environment(), run(builder))) {
            assertThat(env).doesNotContainKeys(JOB_TRACKING.toArray(String[]::new))
                    .doesNotContainKeys("SHOP_DB_PASSWORD", "PGPASSWORD")
                    // The router reads its admin token from the environment when it is set there.
                    .containsEntry("SWITCHMAN_ROUTER_TOKEN", "router-admin-token")
                    .containsEntry("KEPT", "yes")
                    .containsEntry("PATH", System.getenv("PATH"));
        }
    }

    @Test
    void withoutAPasswordVariableConfiguredPgpasswordIsStillWithheld() {
        assertThat(ChildEnvironment.withoutDatabasePassword(cdJob(), null))
                .doesNotContainKey("PGPASSWORD").containsEntry("SHOP_DB_PASSWORD", "s3cret");
        assertThat(ChildEnvironment.withoutDatabasePassword(cdJob(), "PGPASSWORD"))
                .doesNotContainKey("PGPASSWORD").containsEntry("SHOP_DB_PASSWORD", "s3cret");
    }

    @Test
    void aLongLivedChildLosesTheTrackingVariablesAndWhatIsWithheldOnly() throws Exception {
        Map<String, String> parent = cdJob();
        ProcessBuilder builder = ChildEnvironment.use(new ProcessBuilder("env"),
                ChildEnvironment.longLived(parent, List.of("SWITCHMAN_ROUTER_TOKEN")));

        Map<String, String> expected = new HashMap<>(parent);
        expected.keySet().removeAll(JOB_TRACKING);
        expected.remove("SWITCHMAN_ROUTER_TOKEN");
        assertThat(run(builder)).isEqualTo(expected);
    }

    @Test
    void theServersApiTokenReachesNoChild() {
        Map<String, String> parent = new java.util.HashMap<>(cdJob());
        parent.put(ChildEnvironment.API_TOKEN, "api-s3cret");
        assertThat(ChildEnvironment.longLived(parent, java.util.Set.of())).doesNotContainKey(ChildEnvironment.API_TOKEN);
        assertThat(ChildEnvironment.withoutDatabasePassword(parent, null)).doesNotContainKey(ChildEnvironment.API_TOKEN);
        assertThat(ChildEnvironment.forDatabaseTool(parent, Map.of("PGHOST", "db"))).doesNotContainKey(ChildEnvironment.API_TOKEN)
                .containsEntry("PGHOST", "db");
    }

    @Test
    void everyTrackingVariableSaysWhyItIsDropped() {
        assertThat(ChildEnvironment.JOB_TRACKING.keySet()).containsExactlyElementsOf(JOB_TRACKING);
        assertThat(ChildEnvironment.JOB_TRACKING.values()).allSatisfy(why -> assertThat(why).isNotBlank());
    }

    /** The coordinator's environment as a CD job gives it. */
    private static Map<String, String> cdJob() {
        Map<String, String> env = new HashMap<>(System.getenv());
        JOB_TRACKING.forEach(name -> env.put(name, name.toLowerCase() + "-417"));
        env.put("SWITCHMAN_ROUTER_TOKEN", "router-admin-token");
        env.put("SHOP_DB_PASSWORD", "s3cret");
        env.put("PGPASSWORD", "s3cret");
        env.put("KEPT", "yes");
        return env;
    }

    /** Starts the child (env(1)) and parses what it prints: its own environment. */
    private static Map<String, String> run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process child = builder.command("env", "-0").redirectErrorStream(true).start();
        String out;
        try (InputStream in = child.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        Map<String, String> env = new HashMap<>();
        for (String entry : out.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }
}
