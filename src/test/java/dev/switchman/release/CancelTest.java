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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CD job cancelled while it releases: the runner sends SIGINT, then SIGTERM, then SIGKILL a few seconds later.
 * Before contract the release rolls back in order and says so in its JSON summary; past contract it finishes.
 */
class CancelTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    GreeterStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void sigtermDuringBakeRollsBack() throws Exception {
        stack.strategy(GreeterStack.strategy("60s", 100));
        Process coordinator = stack.releaseProcess("v2", "--json");
        awaitGate("bake");

        coordinator.destroy(); // SIGTERM
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();

        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.ROLLED_BACK);
        JsonObject summary = summary();
        assertThat(summary.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(summary.getInteger("exitCode")).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(summary.getString("reason")).contains("SIGTERM");
        ReleaseRecord record = stack.lastRelease().orElseThrow();
        assertThat(record.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(record.reason()).contains("cancelled by SIGTERM");
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();
    }

    @Test
    void sigintDuringExpandLetsExpandEndThenUndoesIt() throws Exception {
        stack.changelog("v2", ReleaseGatesTest.V1 + """
                --changeset greeter:2 labels:expand
                alter table greetings add column title text;
                select pg_sleep(3);
                --rollback alter table greetings drop column title;
                """);
        Process coordinator = stack.releaseProcess("v2", "--json");
        awaitGate("expand");

        signal(coordinator, "INT");
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();

        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(summary().getString("reason")).contains("SIGINT");
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(stack.columns("greetings")).as("expand undone").containsExactly("id", "name");
        assertThat(stack.listening(stack.greenPort)).isFalse();
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aSecondSignalDoesNotInterruptTheRollback() throws Exception {
        stack.strategy(GreeterStack.strategy("60s", 100));
        Process coordinator = stack.releaseProcess("v2", "--json");
        awaitGate("bake");

        signal(coordinator, "INT");
        coordinator.destroy();
        signal(coordinator, "TERM");
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();

        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).isFalse();
    }

    @Test
    void pastContractASignalLetsTheReleaseFinish() throws Exception {
        stack.changelog("v2", ReleaseGatesTest.V2 + """
                --changeset greeter:4 labels:contract
                select pg_sleep(3);
                """);
        Process coordinator = stack.releaseProcess("v2", "--json");
        awaitGate("contract");

        coordinator.destroy();
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();

        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.RELEASED);
        assertThat(summary().getString("state")).isEqualTo("RELEASED");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.listening(stack.bluePort)).as("blue retired").isFalse();
    }

    private void awaitGate(String gate) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && gate.equals(r.gate())).orElse(false));
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private JsonObject summary() throws Exception {
        return new JsonObject(Files.readString(dir.resolve("coordinator-v2.out")).strip());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("coordinator-v2.log"));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
