package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases of a non-Java application (Python, formatted-SQL changelogs) through every gate, with each gate made
 * to fail in turn: afterwards blue serves all traffic, green is stopped, the schema is back at the tag when
 * expand was undone, contract never ran, the release is ROLLED_BACK at that gate, and the exit code is 1.
 */
class ReleaseGatesTest {
    static final String V1 = """
            --liquibase formatted sql
            --changeset greeter:1 labels:expand
            create table greetings (id serial primary key, name text);
            --rollback drop table greetings;
            """;
    static final String V2 = V1 + """
            --changeset greeter:2 labels:expand
            alter table greetings add column title text;
            --rollback alter table greetings drop column title;
            --changeset greeter:3 labels:contract
            alter table greetings drop column name;
            """;

    @TempDir
    Path dir;
    GreeterStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("1s", 50, 100));
        stack.startRouter();
        stack.changelog("v1", V1);
        stack.changelog("v2", V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void aReleasePassesEveryGate() throws Exception {
        GreeterStack.Run run = stack.cli("release", "v2");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.routerStatus().target().weight(Colour.GREEN)).isEqualTo(100);
        assertThat(stack.listening(stack.bluePort)).as("blue retired").isFalse();
        assertThat(stack.columns("greetings")).containsExactly("id", "title");
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.RELEASED);
        // The router was told which version each colour runs, and labels its series with it.
        assertThat(stack.routerStatus().target().version(Colour.GREEN)).isEqualTo("v2");
        assertThat(stack.routerStatus().target().version(Colour.BLUE)).isEqualTo("v1");
        assertThat(stack.routerMetrics()).contains("switchman_router_weight{colour=\"green\",version=\"v2\"} 100.0")
                .contains("switchman_router_weight{colour=\"blue\",version=\"v1\"} 0.0");

        // The next release goes into the other colour again.
        stack.changelog("v3", V2);
        assertThat(stack.cli("release", "v3").exitCode()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v3");
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
    }

    @Test
    void aLongBakeSaysItIsAlive() throws Exception {
        stack.strategy(GreeterStack.strategy("7s", 100));
        GreeterStack.Run run = stack.cli("release", "v2");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        // A line while the bake runs, so neither a person nor a CI log sees a silent minute; it shows both colours.
        assertThat(run.stderr()).containsPattern("bake +5s of 7s: .*green.*; .*blue");
    }

    @Test
    void planShowsTheSqlAndTouchesNothing() throws Exception {
        GreeterStack.Run plan = stack.cli("plan", "v2", "--json");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        JsonObject json = new JsonObject(plan.stdout().trim());
        assertThat(json.getString("expand")).contains("alter table greetings add column title text");
        assertThat(json.getString("contract")).contains("alter table greetings drop column name");
        assertThat(stack.columns("greetings")).containsExactly("id", "name");
        assertThat(stack.appliedChangesets()).containsExactly("1");
    }

    @Test
    void theJsonSummaryIsTheOnlyThingOnStdout() {
        GreeterStack.Run run = stack.cli("release", "v2", "--json");
        JsonObject summary = new JsonObject(run.stdout().trim());
        assertThat(summary.getString("state")).isEqualTo("RELEASED");
        assertThat(summary.getInteger("exitCode")).isZero();
        assertThat(summary.getJsonArray("steps")).hasSize(10);
    }

    @Test
    void expandFails() throws Exception {
        stack.changelog("v2", V1 + """
                --changeset greeter:2 labels:expand
                alter table greetings add column title text;
                --rollback alter table greetings drop column title;
                --changeset greeter:2b labels:expand
                alter table greetings add column broken no_such_type;
                --rollback select 1;
                """);
        assertRolledBackAt("expand", true);
    }

    @Test
    void verifyBlueFails() throws Exception {
        stack.fault(Colour.BLUE, "unhealthy", true);
        GreeterStack.Run run = stack.cli("release", "v2");
        stack.fault(Colour.BLUE, "unhealthy", false);
        assertRolledBack(run, "verify-live", true);
    }

    @Test
    void deployGreenFails() throws Exception {
        stack.fault(Colour.GREEN, "crash", true);
        GreeterStack.Run run = stack.cli("release", "v2");
        assertRolledBack(run, "deploy-new", true);
        assertThat(run.stderr()).contains("greeter v2: crashing at start");
    }

    @Test
    void checkGreenFails() throws Exception {
        stack.fault(Colour.GREEN, "unhealthy", true);
        assertRolledBackAt("check-new", true);
    }

    @Test
    void shiftFailsItsAnalysis() throws Exception {
        stack.fault(Colour.GREEN, "errors", true);
        try (Traffic traffic = new Traffic(stack)) {
            GreeterStack.Run run = stack.cli("release", "v2");
            // Traffic reached green, so expand is kept (it is backward compatible); everything else is undone.
            assertRolledBack(run, "shift", false);
            assertThat(run.stderr()).contains("analysis at 50%");
        }
    }

    @Test
    void bakeFailsItsAnalysis() throws Exception {
        try (Traffic traffic = new Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v2"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stack.lastRelease().map(r -> "bake".equals(r.gate())).orElse(false));
            stack.fault(Colour.GREEN, "errors", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
            assertRolledBack(result, "bake", false);
        }
    }

    @Test
    void contractFailsPastThePointOfNoReturn() throws Exception {
        stack.changelog("v2", V1 + """
                --changeset greeter:2 labels:expand
                alter table greetings add column title text;
                --rollback alter table greetings drop column title;
                --changeset greeter:3 labels:contract
                alter table no_such_table drop column name;
                """);
        GreeterStack.Run run = stack.cli("release", "v2");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ACT_NOW);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.FAILED_PAST_CONTRACT);
        assertThat(r.gate()).isEqualTo("contract");
        // Nothing is undone: green keeps serving, the expanded schema stays.
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.columns("greetings")).containsExactly("id", "name", "title");
        assertThat(run.stderr()).contains("point of no return");
    }

    private volatile GreeterStack.Run result;

    private void assertRolledBackAt(String gate, boolean expandUndone) throws Exception {
        assertRolledBack(stack.cli("release", "v2"), gate, expandUndone);
    }

    private void assertRolledBack(GreeterStack.Run run, String gate, boolean expandUndone) throws Exception {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo(gate);
        assertThat(r.reason()).isNotBlank();
        // Blue serves all traffic, green is stopped.
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.routerStatus().target().version(Colour.BLUE)).isEqualTo("v1");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();
        // Contract never ran; the schema is back at the tag when expand was undone.
        assertThat(stack.appliedChangesets()).doesNotContain("3");
        if (expandUndone) {
            assertThat(stack.columns("greetings")).containsExactly("id", "name");
            assertThat(stack.appliedChangesets()).containsExactly("1");
        } else {
            assertThat(stack.columns("greetings")).containsExactly("id", "name", "title");
        }
        // The application is free again: the next release may start.
        stack.fault(Colour.GREEN, "errors", false);
        stack.fault(Colour.GREEN, "unhealthy", false);
        stack.fault(Colour.GREEN, "crash", false);
        stack.changelog("v2", V2);
        GreeterStack.Run again = stack.cli("release", "v2");
        assertThat(again.exitCode()).as(again.stderr()).isEqualTo(ExitCode.RELEASED);
    }

    /** Keeps requests flowing through the router, so that the router's counters see green's errors. */
    static final class Traffic implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger requests = new AtomicInteger();
        private final Thread thread;

        Traffic(GreeterStack stack) {
            this(stack, response -> { });
        }

        /** Each response (or failure) is also given to {@code seen}, e.g. to time the failures. */
        Traffic(GreeterStack stack, Consumer<String> seen) {
            thread = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    seen.accept(stack.get());
                    requests.incrementAndGet();
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (!thread.join(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the traffic thread did not stop");
            }
        }
    }
}
