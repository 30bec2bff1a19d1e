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
 * Releases through a real HAProxy on the shipped haproxy.cfg.example, as a user with HAProxy in front runs them: a
 * first release, a progressive one under keep-alive GET and POST load, and one rolled back under load. HAProxy
 * counts per colour, so the strategy's analysis is the default one (the router's counters); every client request
 * is counted and none may fail.
 */
class HaproxyReleaseTest {
    static final String STRATEGY = """
            name: progressive
            steps:
              - shift: 50
              - analyse: 3s
              - shift: 100
            bake: 2s
            maxErrorRate: 0.01
            analysis:
              interval: 250ms
              minRequests: 1
              onInconclusive: fail
            """;
    static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset greeter:1 labels:expand
            create table greetings (id serial primary key, name text);
            --rollback drop table greetings;
            """;

    @TempDir
    Path dir;

    private GreeterStack stack;
    private FrontStack haproxy;
    private Vertx vertx;
    private FrontLoad load;

    @BeforeEach
    void firstRelease() throws Exception {
        stack = new GreeterStack(dir, STRATEGY);
        for (String version : List.of("v1", "v2", "v3")) {
            stack.changelog(version, CHANGELOG);
        }
        haproxy = FrontStack.haproxy(stack);
        vertx = Vertx.vertx();
        assertThat(haproxy.get()).as("no server has an endpoint yet").startsWith("503");

        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(haproxy.get()).isEqualTo("200 Hello from greeter v1");
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
        if (haproxy != null) {
            haproxy.close();
        }
        if (vertx != null) {
            Futures.await(vertx.close());
        }
    }

    @Test
    void aProgressiveReleaseUnderLoadFailsNoRequest() {
        releaseV2UnderLoad();

        assertThat(haproxy.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.cli("status").stdout()).contains("live         green (v2)").contains("weights      blue 0%, green 100%");
        assertThat(stack.listening(stack.bluePort)).as("blue retired").isFalse();
    }

    @Test
    void aNewVersionFailingItsHealthChecksUnderLoadIsRolledBackFailingNoRequest() throws Exception {
        releaseV2UnderLoad();

        load = new FrontLoad(vertx, haproxy.address);
        load.awaitServed("v2", 100);
        CompletableFuture<GreeterStack.Run> release = CompletableFuture.supplyAsync(() -> stack.cli("release", "v3"));
        // Once v3 in blue takes its share, its health checks start failing (its requests still answer).
        await().atMost(Futures.BOUND).until(() -> load.servedBy("v3") > 0 || release.isDone());
        stack.fault(Colour.BLUE, "unhealthy", true);
        GreeterStack.Run run = release.get();
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("HAProxy rollback under load: %d requests, %d failed, %d answered by v3%n",
                load.done(), failures.size(), load.servedBy("v3"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(run.stderr()).contains("health");
        assertThat(load.servedBy("v3")).as("v3 served before it failed").isPositive();
        assertThat(failures).as("failed requests of " + load.done()).isEmpty();
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(haproxy.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.cli("status").stdout()).contains("live         green (v2)").contains("weights      blue 0%, green 100%");
    }

    @Test
    void aNewVersionAnsweringErrorsIsRolledBackByHaproxysCounters() throws Exception {
        releaseV2UnderLoad();

        stack.fault(Colour.BLUE, "errors", true);
        load = new FrontLoad(vertx, haproxy.address);
        load.awaitServed("v2", 100);
        GreeterStack.Run run = stack.cli("release", "v3");
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("HAProxy rollback on errors under load: %d requests, %d failed (v3's 500s)%n",
                load.done(), failures.size());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(run.stderr()).containsPattern("analysis at 50% to v3 in blue: .*blue: [1-9][0-9]* errors in");
        assertThat(failures).as("v3's answers while it had its share, and nothing else").isNotEmpty()
                .allMatch(failure -> failure.contains("status 500 greeter v3: failing on purpose"));
        assertThat(haproxy.get()).isEqualTo("200 Hello from greeter v2");
    }

    /** v2 into green, 50 % then 100 %, judged by HAProxy's counters, while the clients run. */
    private void releaseV2UnderLoad() {
        load = new FrontLoad(vertx, haproxy.address);
        load.awaitServed("v1", 100);
        GreeterStack.Run run = stack.cli("release", "v2");
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("HAProxy release under load: %d requests, %d failed, %d by v1, %d by v2%n",
                load.done(), failures.size(), load.servedBy("v1"), load.servedBy("v2"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).as("judged by HAProxy's counters at 50 %")
                .containsPattern("50% to v2 in green: .*green: 0 errors in [1-9][0-9]* requests");
        assertThat(load.servedBy("v1")).isPositive();
        assertThat(load.servedBy("v2")).isPositive();
        assertThat(failures).as("failed requests of " + load.done()).isEmpty();
        load.close();
        load = null;
    }
}
