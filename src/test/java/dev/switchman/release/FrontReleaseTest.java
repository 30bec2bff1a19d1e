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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases through a real router in front (HAProxy, nginx) on its shipped example configuration, as a user with it in
 * front runs them: a first release, one under keep-alive GET and POST load, and one rolled back under load. Every
 * client request is counted. Each such router kind's release test extends this one.
 */
abstract class FrontReleaseTest {
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

    GreeterStack stack;
    FrontStack front;
    Vertx vertx;
    FrontLoad load;

    /** The kind's strategy. */
    abstract String strategy();

    /** The router in front, started for {@code stack} on its shipped example configuration. */
    abstract FrontStack start(GreeterStack stack) throws IOException;

    /** What of the router must not change while a release changes no endpoint (its processes: no reload), or null. */
    abstract Object unreloaded();

    @BeforeEach
    void firstRelease() throws Exception {
        stack = new GreeterStack(dir, strategy());
        for (String version : List.of("v1", "v2", "v3", "v4")) {
            stack.changelog(version, CHANGELOG);
        }
        front = start(stack);
        vertx = Vertx.vertx();
        assertThat(front.get()).as("no endpoint in front yet").startsWith("503");

        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(front.get()).isEqualTo("200 Hello from greeter v1");
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
        if (front != null) {
            front.close();
        }
        if (vertx != null) {
            Futures.await(vertx.close());
        }
    }

    /** A release under load, with what the clients saw. */
    record Loaded(GreeterStack.Run run, List<String> failures, int done, int byLive, int byNew) {}

    /** Releases {@code version} while the clients run, {@code live} answering first and {@code version} after. */
    Loaded releaseUnderLoad(String live, String version) {
        load = new FrontLoad(vertx, front.address);
        load.awaitServed(live, 100);
        GreeterStack.Run run = stack.cli("release", version);
        load.awaitServed(version, 100);
        List<String> failures = load.stop();
        Loaded loaded = new Loaded(run, failures, load.done(), load.servedBy(live), load.servedBy(version));
        System.out.printf("%s: release of %s under load: %d requests, %d failed, %d by %s, %d by %s: %s%n",
                getClass().getSimpleName(), version, loaded.done(), failures.size(), loaded.byLive(), live, loaded.byNew(),
                version, failures.stream().limit(5).toList());
        load.close();
        load = null;
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(loaded.byLive()).isPositive();
        assertThat(loaded.byNew()).isPositive();
        assertThat(front.get()).isEqualTo("200 Hello from greeter " + version);
        return loaded;
    }

    /** v2 into green, 50 % then 100 %, while the clients run: each kind says what may fail. */
    abstract void releaseV2UnderLoad();

    @Test
    void aNewVersionFailingItsHealthChecksUnderLoadIsRolledBackFailingNoRequest() throws Exception {
        releaseV2UnderLoad();
        assertThat(stack.cli("status").stdout()).contains("live         green (v2)").contains("weights      blue 0%, green 100%");
        assertThat(stack.listening(stack.bluePort)).as("blue retired").isFalse();

        Object unreloaded = unreloaded();
        load = new FrontLoad(vertx, front.address);
        load.awaitServed("v2", 100);
        CompletableFuture<GreeterStack.Run> release = CompletableFuture.supplyAsync(() -> stack.cli("release", "v3"));
        // Once v3 in blue takes its share, its health checks start failing (its requests still answer).
        await().atMost(Futures.BOUND).until(() -> load.servedBy("v3") > 0 || release.isDone());
        stack.fault(Colour.BLUE, "unhealthy", true);
        GreeterStack.Run run = release.get();
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("%s: rollback under load: %d requests, %d failed, %d answered by v3%n",
                getClass().getSimpleName(), load.done(), failures.size(), load.servedBy("v3"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(run.stderr()).contains("v3 in blue fails its health checks");
        assertThat(load.servedBy("v3")).as("v3 served before it failed").isPositive();
        assertThat(unreloaded()).as("the router, as it was before the rollback").isEqualTo(unreloaded);
        assertThat(failures).as("failed requests of " + load.done()).isEmpty();
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(front.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.cli("status").stdout()).contains("live         green (v2)").contains("weights      blue 0%, green 100%");
    }
}
