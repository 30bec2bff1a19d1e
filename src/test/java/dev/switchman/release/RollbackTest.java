package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollbacks as users meet them: under load, an undo that fails, and the undo of a first release. */
class RollbackTest {
    @TempDir
    Path dir;
    GreeterStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void aRollbackUnderLoadFailsNoRequest() throws Exception {
        assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
        stack.strategy(GreeterStack.strategy("60s", 100));
        // Every request to the new version takes a while, so some are in flight whenever traffic moves.
        stack.fault(Colour.GREEN, "lag", true);
        Process coordinator = stack.releaseProcess("v2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && "bake".equals(r.gate())).orElse(false));
        coordinator.destroyForcibly().waitFor();

        try (Load load = new Load(stack, 8)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.answeredBy("v2") >= 8);
            GreeterStack.Run rollback = stack.cli("rollback");
            assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
            int v1 = load.answeredBy("v1");
            await().atMost(Duration.ofSeconds(30)).until(() -> load.answeredBy("v1") >= v1 + 20);
            load.close();
            assertThat(load.failures).as("requests that failed while traffic went back to v1").isEmpty();
        }
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
    }

    @Test
    void anUndoThatFailsEndsRollbackFailedUntilARollbackFinishesIt() throws Exception {
        assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
        String brokenUndo = ReleaseGatesTest.V1 + """
                --changeset greeter:2 labels:expand
                alter table greetings add column title text;
                --rollback alter table no_such_table drop column title;
                """;
        stack.changelog("v2", brokenUndo);
        stack.fault(Colour.GREEN, "unhealthy", true);

        GreeterStack.Run failed = stack.cli("release", "v2");
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(ExitCode.ACT_NOW);
        ReleaseRecord record = stack.lastRelease().orElseThrow();
        assertThat(record.state()).isEqualTo(ReleaseState.ROLLBACK_FAILED);
        assertThat(record.gate()).isEqualTo("check-new");
        assertThat(record.reason()).contains("rollback incomplete: expand:").contains("no_such_table");
        // Every other undo ran: the live version serves, the new one is stopped.
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).isFalse();
        assertThat(stack.columns("greetings")).containsExactly("id", "name", "title");

        GreeterStack.Run refused = stack.cli("release", "v2");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(refused.stderr()).contains("failed to roll back").contains("switchman rollback");

        Path fixed = dir.resolve("fixed/changelog.sql");
        Files.createDirectories(fixed.getParent());
        Files.writeString(fixed, brokenUndo.replace("alter table no_such_table", "alter table greetings"));
        GreeterStack.Run rollback = stack.cli("rollback", "--changelog", fixed.toString());
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(stack.columns("greetings")).containsExactly("id", "name");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aFirstReleaseIsUndoneToNothingLive() throws Exception {
        stack.strategy(GreeterStack.strategy("3s", 100));
        try (ReleaseGatesTest.Traffic traffic = new ReleaseGatesTest.Traffic(stack)) {
            Thread release = Thread.ofVirtual().start(() -> result = stack.cli("release", "v1", "--json"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stack.lastRelease().map(r -> "bake".equals(r.gate())).orElse(false));
            // A first release goes into blue.
            stack.fault(Colour.BLUE, "errors", true);
            assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();
        }
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        JsonObject summary = new JsonObject(result.stdout().strip());
        assertThat(summary.getString("gate")).isEqualTo("bake");
        List<String> undone = new ArrayList<>();
        summary.getJsonArray("steps").forEach(s -> {
            JsonObject step = (JsonObject) s;
            if (step.getString("action").equals("undo")) {
                undone.add(step.getString("gate") + " " + step.getString("result"));
            }
        });
        assertThat(undone).containsExactly("bake undone", "shift undone", "check-new undone", "deploy-new undone",
                "verify-live undone", "expand undone", "backup undone", "lock undone");

        // Nothing is live: the router sends no traffic anywhere, blue is stopped, the store names no live slot.
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isZero();
        assertThat(stack.routerStatus().target().weight(Colour.GREEN)).isZero();
        assertThat(stack.get()).startsWith("503");
        assertThat(stack.listening(stack.bluePort)).as("blue stopped").isFalse();
        JsonObject status = new JsonObject(stack.cli("status", "--json").stdout().strip());
        assertThat(status.getValue("live")).isNull();
        // Traffic reached v1, so its expanded schema stays.
        assertThat(stack.columns("greetings")).containsExactly("id", "name");

        stack.fault(Colour.BLUE, "errors", false);
        GreeterStack.Run again = stack.cli("release", "v1");
        assertThat(again.exitCode()).as(again.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    private volatile GreeterStack.Run result;

    /** Keep-alive GET traffic through the router on several connections, each failure kept. */
    static final class Load implements AutoCloseable {
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger v1 = new AtomicInteger();
        private final AtomicInteger v2 = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(GreeterStack stack, int connections) {
            for (int i = 0; i < connections; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        String answer = stack.get();
                        if (answer.equals("200 Hello from greeter v1")) {
                            v1.incrementAndGet();
                        } else if (answer.equals("200 Hello from greeter v2")) {
                            v2.incrementAndGet();
                        } else {
                            failures.add(answer);
                        }
                    }
                }));
            }
        }

        int answeredBy(String version) {
            return version.equals("v1") ? v1.get() : v2.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                if (!thread.join(Duration.ofSeconds(10))) {
                    throw new IllegalStateException("a load thread did not stop");
                }
            }
        }
    }
}
