package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.support.FrontStack;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases through a real nginx on the shipped switchman-site.conf.example, added to an nginx already running, as a
 * user with nginx in front runs them. nginx counts nothing per colour, so the strategy judges by the health checks
 * alone ({@code analysis.metrics: []}). With fixed slot ports only the first two releases change endpoints: the
 * first (nothing to blue) and the second (green joins) reload nginx, and no release after them does. Every client
 * request is counted: the second release's reload may fail requests on closed keep-alive connections, and those are
 * measured; the releases after it must fail none.
 */
class NginxReleaseTest {
    static final String STRATEGY = HaproxyReleaseTest.STRATEGY.replace("  onInconclusive: fail\n",
            "  onInconclusive: fail\n  metrics: []        # nginx counts nothing per colour: the health checks judge\n");

    @TempDir
    Path dir;

    private GreeterStack stack;
    private FrontStack nginx;
    private Vertx vertx;
    private FrontLoad load;

    @BeforeEach
    void firstRelease() throws Exception {
        stack = new GreeterStack(dir, STRATEGY);
        for (String version : List.of("v1", "v2", "v3", "v4")) {
            stack.changelog(version, HaproxyReleaseTest.CHANGELOG);
        }
        nginx = FrontStack.nginx(stack);
        vertx = Vertx.vertx();
        assertThat(nginx.get()).as("nginx before Switchman").startsWith("503");

        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(nginx.get()).isEqualTo("200 Hello from greeter v1");
        GreeterStack.Run status = stack.cli("status");
        assertThat(status.stdout()).contains("live         blue (v1)").contains("weights      blue 100%, green 0%");
    }

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (vertx != null) {
            Futures.await(vertx.close());
        }
    }

    @Test
    void aReleaseThatChangesNoEndpointFailsNoRequest() {
        releaseV2UnderLoad();

        // v3 goes into blue at the port v1 had: the include stays as it is, nginx is not reloaded.
        List<Long> processes = nginx.processes();
        load = new FrontLoad(vertx, nginx.address);
        load.awaitServed("v2", 100);
        GreeterStack.Run run = stack.cli("release", "v3");
        load.awaitServed("v3", 100);
        List<String> failures = load.stop();

        System.out.printf("nginx release with no reload under load: %d requests, %d failed, %d by v2, %d by v3%n",
                load.done(), failures.size(), load.servedBy("v2"), load.servedBy("v3"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(nginx.processes()).as("nginx's master and workers: no reload").isEqualTo(processes);
        assertThat(load.servedBy("v2")).isPositive();
        assertThat(failures).as("failed requests of " + load.done()).isEmpty();
        assertThat(nginx.get()).isEqualTo("200 Hello from greeter v3");
        assertThat(stack.cli("status").stdout()).contains("live         blue (v3)").contains("weights      blue 100%, green 0%");
    }

    @Test
    void aNewVersionFailingItsHealthChecksUnderLoadIsRolledBackFailingNoRequest() throws Exception {
        releaseV2UnderLoad();

        List<Long> processes = nginx.processes();
        load = new FrontLoad(vertx, nginx.address);
        load.awaitServed("v2", 100);
        CompletableFuture<GreeterStack.Run> release = CompletableFuture.supplyAsync(() -> stack.cli("release", "v3"));
        // Once v3 in blue takes its share, its health checks start failing (its requests still answer).
        await().atMost(Futures.BOUND).until(() -> load.servedBy("v3") > 0 || release.isDone());
        stack.fault(Colour.BLUE, "unhealthy", true);
        GreeterStack.Run run = release.get();
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("nginx rollback under load: %d requests, %d failed, %d answered by v3%n",
                load.done(), failures.size(), load.servedBy("v3"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(run.stderr()).contains("v3 in blue fails its health checks");
        assertThat(load.servedBy("v3")).as("v3 served before it failed").isPositive();
        assertThat(nginx.processes()).as("no reload").isEqualTo(processes);
        assertThat(failures).as("failed requests of " + load.done()).isEmpty();
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(nginx.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.cli("status").stdout()).contains("live         green (v2)").contains("weights      blue 0%, green 100%");
    }

    /**
     * v2 into green, 50 % then 100 %, judged by the health checks, while the clients run. Green's endpoint joins
     * the include at the first shift, so nginx reloads once: a client whose keep-alive connection it closes just as
     * the client sends on it sees that request fail, and nothing else may fail.
     */
    private void releaseV2UnderLoad() {
        load = new FrontLoad(vertx, nginx.address);
        load.awaitServed("v1", 100);
        List<Long> before = nginx.processes();
        GreeterStack.Run run = stack.cli("release", "v2");
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("nginx release with one reload under load: %d requests, %d failed, %d by v1, %d by v2: %s%n",
                load.done(), failures.size(), load.servedBy("v1"), load.servedBy("v2"), failures);
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(nginx.processes()).as("reloaded: new workers").isNotEqualTo(before);
        assertThat(load.servedBy("v1")).isPositive();
        assertThat(load.servedBy("v2")).isPositive();
        assertThat(failures).as("only requests on connections the reload closed fail")
                .allMatch(failure -> failure.contains("Connection was closed") || failure.contains("Connection reset"));
        load.close();
        load = null;
    }
}
