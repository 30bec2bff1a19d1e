package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.StrategyConfig;
import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.spi.Kinds;
import dev.switchman.store.Decision;
import dev.switchman.store.PgReleaseStore;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that waits for a person: {@code switchman promote} lets it go on (before the switch, before contract),
 * a deadline without one rolls it back, and {@code switchman abort} rolls it back from a wait or any other gate
 * before contract, also when its coordinator was killed. The coordinator runs as a process of its own, as in CD.
 */
class ManualStrategyTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** The shipped manual strategy's shape, with waits of seconds. */
    private static final String MANUAL = """
            name: manual-test
            steps:
              - approve: {}
              - shift: 100
              - analyse: 1s
            bake: 1s
            approveContract:
              deadline: 30s
            maxErrorRate: 0.05
            analysis:
              interval: 200ms
              minRequests: 0
            """;

    @TempDir
    Path dir;
    GreeterStack stack;
    Vertx vertx;
    PgReleaseStore store;
    Process coordinator;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        vertx = Vertx.vertx();
        store = PgReleaseStore.connect(vertx, Clock.systemUTC(), stack.db);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (coordinator != null && coordinator.isAlive()) {
            coordinator.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        store.close();
        vertx.close();
        stack.close();
    }

    @Test
    void theShippedManualStrategyWaitsBeforeTheSwitchAndBeforeContract() throws Exception {
        stack.editConfig(c -> c.replace("strategy: strategy.yaml", "strategy: manual"));
        LoadedConfig loaded = Kinds.loadConfig(stack.config);
        StrategyConfig manual = loaded.strategy();
        assertThat(manual.steps().getFirst().action()).isEqualTo(StrategyConfig.Step.Action.APPROVE);
        assertThat(manual.shares()).containsExactly(100);
        assertThat(manual.approveContract()).isNotNull();
        assertThat(manual.approveContract().deadline()).isPositive();
    }

    @Test
    void promotedBeforeTheSwitchAndBeforeContractItIsReleased() throws Exception {
        stack.strategy(MANUAL);
        coordinator = stack.releaseProcess("v2", "--json");

        awaitWait("promote before the steps after 0% to v2 in green");
        // Nothing moved before the promote: users are on v1.
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        GreeterStack.Run promote = stack.cli("promote", "--json");
        assertThat(promote.exitCode()).as(promote.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(new JsonObject(promote.stdout().strip()).getString("promoted"))
                .isEqualTo("promote before the steps after 0% to v2 in green");

        awaitWait("promote before contract");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.columns("greetings")).as("not contracted yet").contains("name");
        assertThat(stack.cli("promote").exitCode()).isEqualTo(ExitCode.RELEASED);

        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();
        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.RELEASED);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.RELEASED);
        assertThat(decision(r)).isEqualTo(new Decision(null, 2, null));
        assertThat(stack.columns("greetings")).as("contracted").doesNotContain("name");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(log()).contains("switchman promote --config " + stack.config);
    }

    @Test
    void noPromoteWithinTheDeadlineRollsBack() throws Exception {
        stack.strategy(MANUAL.replace("  - approve: {}", "  - approve: {deadline: 2s}"));

        GreeterStack.Run run = stack.cli("release", "v2", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(new JsonObject(run.stdout().strip()).getString("reason")).contains("no promote within 2s");
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("shift");
        assertThat(r.reason()).contains("no promote within 2s");
        assertThat(decision(r)).as("the wait is over").isEqualTo(new Decision(null, 0, null));
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();

        GreeterStack.Run late = stack.cli("promote");
        assertThat(late.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(late.stderr()).contains("no release of greeter is in progress (the last one, #" + r.id()
                + " v2, is ROLLED_BACK): nothing to promote");
    }

    @Test
    void abortedWhileItWaitsBeforeContractItRollsBack() throws Exception {
        stack.strategy(MANUAL);
        coordinator = stack.releaseProcess("v2", "--json");
        awaitWait("promote before the steps after 0% to v2 in green");
        assertThat(stack.cli("promote").exitCode()).isEqualTo(ExitCode.RELEASED);
        awaitWait("promote before contract");

        GreeterStack.Run abort = stack.cli("abort", "--json");

        assertThat(abort.exitCode()).as(abort.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        JsonObject summary = new JsonObject(abort.stdout().strip());
        assertThat(summary.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(summary.getInteger("exitCode")).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();
        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(coordinatorSummary().getString("reason")).contains("aborted by switchman abort");
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("bake");
        assertThat(decision(r).awaiting()).isNull();
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.columns("greetings")).as("never contracted").contains("name");
    }

    @Test
    void promoteWithNothingWaitingExits2AndAbortStopsAGateThatIsNoWait() throws Exception {
        stack.strategy(GreeterStack.strategy("60s", 100));
        coordinator = stack.releaseProcess("v2", "--json");
        await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && "bake".equals(r.gate())).orElse(false));
        ReleaseRecord baking = stack.lastRelease().orElseThrow();

        GreeterStack.Run promote = stack.cli("promote", "--json");
        assertThat(promote.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(promote.stderr()).contains("nothing waits for a promote: release #" + baking.id()
                + " v2 is RUNNING at gate bake");
        assertThat(new JsonObject(promote.stdout().strip()).getInteger("exitCode")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(decision(baking).approvals()).as("nothing approved").isZero();

        GreeterStack.Run abort = stack.cli("abort");

        assertThat(abort.exitCode()).as(abort.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();
        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.reason()).contains("aborted by switchman abort");
        // Rolled back well before the bake's 60 s ran out.
        assertThat(Duration.between(r.startedAt(), r.endedAt())).isLessThan(Duration.ofSeconds(40));
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).isFalse();
    }

    @Test
    void abortWithNoCoordinatorLeftRollsBackItself() throws Exception {
        stack.strategy(MANUAL);
        coordinator = stack.releaseProcess("v2", "--json");
        awaitWait("promote before the steps after 0% to v2 in green");
        coordinator.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        GreeterStack.Run promote = stack.cli("promote");
        assertThat(promote.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(promote.stderr()).contains("no coordinator runs it").contains("switchman rollback");

        GreeterStack.Run abort = stack.cli("abort");

        assertThat(abort.exitCode()).as(abort.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(abort.stderr()).contains("no coordinator runs the release");
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).isFalse();
    }

    @Test
    void pastContractAbortRefusesAndTheReleaseFinishes() throws Exception {
        stack.changelog("v2", ReleaseGatesTest.V2 + """
                --changeset greeter:4 labels:contract
                select pg_sleep(3);
                """);
        coordinator = stack.releaseProcess("v2", "--json");
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && "contract".equals(r.gate())).orElse(false));

        GreeterStack.Run abort = stack.cli("abort");

        assertThat(abort.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(abort.stderr()).contains("past the point of no return (contract)").contains("nothing was done");
        assertThat(coordinator.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the coordinator ended").isTrue();
        assertThat(coordinator.exitValue()).as(log()).isEqualTo(ExitCode.RELEASED);
        assertThat(decision(stack.lastRelease().orElseThrow()).abortRequested()).isNull();
    }

    private void awaitWait(String awaiting) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(coordinator.isAlive()).as(log()).isTrue();
            return stack.lastRelease().filter(r -> r.version().equals("v2"))
                    .map(r -> awaiting.equals(decision(r).awaiting())).orElse(false);
        });
    }

    private Decision decision(ReleaseRecord r) {
        return Futures.await(store.decision(r.id())).orElseThrow();
    }

    private JsonObject coordinatorSummary() throws Exception {
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
