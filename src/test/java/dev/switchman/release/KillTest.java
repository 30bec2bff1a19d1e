package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchman release} as a real process, killed hard (SIGKILL) mid-release: traffic keeps flowing through
 * the router, the next release refuses (exit 4) naming the interrupted one, and {@code switchman rollback}
 * restores blue from the store. Killed during expand, it leaves no database lock behind.
 */
class KillTest {
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
        // A long bake, so that the coordinator can be killed while green takes the traffic.
        stack.strategy(GreeterStack.strategy("60s", 100));
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void killedDuringBakeThenRolledBack() throws Exception {
        Process coordinator = startRelease("v2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && "bake".equals(r.gate())).orElse(false));

        // While that coordinator lives, a second release of the application is refused.
        GreeterStack.Run concurrent = stack.cli("release", "v2");
        assertThat(concurrent.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(concurrent.stderr()).contains("another release of greeter is in progress");

        coordinator.destroyForcibly().waitFor();

        // Green took the traffic before the kill and keeps serving it: nothing that serves users died.
        for (int i = 0; i < 20; i++) {
            assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        }
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.RUNNING);

        // The router restarted meanwhile comes back with the weights it was given.
        stack.stopRouter();
        stack.startRouter();
        assertThat(stack.routerStatus().target().weight(Colour.GREEN)).isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");

        GreeterStack.Run refused = stack.cli("release", "v2");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(refused.stderr()).contains("interrupted at gate bake").contains("switchman rollback");

        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(stack.appliedChangesets()).doesNotContain("3");
    }

    @Test
    void killedDuringExpandLeavesNoDatabaseLock() throws Exception {
        stack.changelog("v2", ReleaseGatesTest.V1 + """
                --changeset greeter:2 labels:expand
                alter table greetings add column title text;
                --rollback alter table greetings drop column title;
                --changeset greeter:2-slow labels:expand
                select pg_sleep(3);
                --rollback select 1;
                """);
        Process coordinator = startRelease("v2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("select count(*) from pg_stat_activity where query like 'select pg_sleep%'") > 0);
        coordinator.destroyForcibly().waitFor();

        // PostgreSQL ends the dead client's session and with it every advisory lock (release and migration).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("select count(*) from pg_locks where locktype = 'advisory'") == 0);
        assertThat(count("select count(*) from information_schema.tables where table_name = 'databasechangeloglock'")).isZero();
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");

        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(stack.columns("greetings")).containsExactly("id", "name");
        assertThat(stack.lastRelease().orElseThrow().gate()).isEqualTo("expand");

        stack.changelog("v2", ReleaseGatesTest.V2);
        stack.strategy(GreeterStack.strategy("0s", 100));
        assertThat(stack.cli("release", "v2").exitCode()).isEqualTo(ExitCode.RELEASED);
    }

    @Test
    void killedDuringContractIsFinishedNotRolledBack() throws Exception {
        stack.strategy(GreeterStack.strategy("0s", 100));
        stack.changelog("v2", ReleaseGatesTest.V2 + """
                --changeset greeter:4-slow labels:contract
                select pg_sleep(3);
                """);
        Process coordinator = startRelease("v2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("select count(*) from pg_stat_activity where query like 'select pg_sleep%'") > 0);
        coordinator.destroyForcibly().waitFor();
        assertThat(stack.lastRelease().orElseThrow().gate()).isEqualTo("contract");

        // Past the point of no return: 'rollback' finishes the release instead of undoing it.
        GreeterStack.Run finish = stack.cli("rollback");
        assertThat(finish.exitCode()).as(finish.stderr()).isEqualTo(0);
        assertThat(finish.stderr()).contains("finishing it instead of rolling back");
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        assertThat(stack.columns("greetings")).containsExactly("id", "title");
        assertThat(stack.listening(stack.bluePort)).as("blue retired").isFalse();
        // The store knows green is live: the next release goes into blue.
        stack.changelog("v3", ReleaseGatesTest.V2 + """
                --changeset greeter:4-slow labels:contract
                select pg_sleep(3);
                """);
        assertThat(stack.cli("release", "v3").exitCode()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
    }

    @Test
    void aCoordinatorThatLostItsLockStopsMovingTraffic() throws Exception {
        stack.strategy("""
                name: slow-steps
                steps:
                  - weight: 50
                    pause: 5s
                  - weight: 100
                bake: 0s
                """);
        Thread release = Thread.ofVirtual().start(() -> lost = stack.cli("release", "v2"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.routerStatus().target().weight(Colour.GREEN) == 50);
        // The coordinator's database session ends (a network cut, a failover): its release lock is gone.
        count("select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory' and classid = "
                + 0x53574D4E + "::oid");
        assertThat(release.join(Duration.ofSeconds(60))).as("the release ended").isTrue();

        assertThat(lost.exitCode()).as(lost.stderr()).isEqualTo(ExitCode.ACT_NOW);
        assertThat(stack.routerStatus().target().weight(Colour.GREEN)).as("not moved to 100").isEqualTo(50);
        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(stack.routerStatus().target().weight(Colour.BLUE)).isEqualTo(100);
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
    }

    private volatile GreeterStack.Run lost;

    @Test
    void killedWhileGreenStartsThenRolledBack() throws Exception {
        stack.fault(Colour.GREEN, "slow", true);
        Process coordinator = startRelease("v2");
        // Green's process runs but has not opened its port: the store has no record of it yet.
        Path started = stack.dir.resolve("state/slots/greeter-green.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));
        coordinator.destroyForcibly().waitFor();
        long pid = Long.parseLong(new JsonObject(Files.readString(started)).getString("pid"));
        assertThat(running(pid)).isTrue();

        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(running(pid)).as("green stopped").isFalse();
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.columns("greetings")).containsExactly("id", "name");
    }

    @Test
    void theReleaseAfterAKillWhileGreenStartsNamesTheInterruptedRelease() throws Exception {
        stack.fault(Colour.GREEN, "slow", true);
        Process coordinator = startRelease("v2");
        Path started = stack.dir.resolve("state/slots/greeter-green.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));
        coordinator.destroyForcibly().waitFor();
        // Green's slow start ends and it opens its port, while the store still has no record of that slot.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> stack.listening(stack.greenPort));
        long interrupted = stack.lastRelease().orElseThrow().id();

        // The interrupted release is what holds the application, not the port its slot opened.
        GreeterStack.Run refused = stack.cli("release", "v2", "--json");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCode.CONFLICT);
        assertThat(refused.stderr()).contains("release #" + interrupted + " of greeter (v2) was interrupted at gate deploy-new")
                .contains("switchman rollback");
        // The same summary as when the lock gate refuses a release.
        JsonObject summary = new JsonObject(refused.stdout().strip());
        assertThat(summary.getInteger("exitCode")).isEqualTo(ExitCode.CONFLICT);
        assertThat(summary.getString("gate")).isEqualTo("lock");
        assertThat(summary.getValue("state")).isNull();
        assertThat(summary.getString("reason")).contains("#" + interrupted).contains("switchman rollback");
        assertThat(stack.lastRelease().orElseThrow().id()).as("no release began").isEqualTo(interrupted);

        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(0);
        assertThat(stack.listening(stack.greenPort)).as("green stopped").isFalse();
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    /** Running, and not a zombie waiting for a parent that may never reap it. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private Process startRelease(String version) throws Exception {
        return stack.releaseProcess(version);
    }

    private int count(String sql) throws Exception {
        try (Connection c = stack.db.open(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
