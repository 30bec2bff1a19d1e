package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import dev.switchman.support.GreeterStack;
import dev.switchman.support.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of mistake ends with exit code 2, a message naming the file, key or step, and nothing touched. */
class BadInputTest {
    @TempDir
    Path dir;
    GreeterStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.startRouter();
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void unknownKey() throws Exception {
        edit("  stopGrace: 2s", "  stopGrace: 2s\n  comand: [\"x\"]");
        assertBadInput(stack.cli("release", "v1"), "unknown key 'platform.comand'", "switchman.yaml", "command");
    }

    /** Tearing down needs no strategy: a broken one must not keep the slots running. */
    @Test
    void downStopsTheSlotsWhateverTheStrategySays() throws Exception {
        GreeterStack.Run release = stack.cli("release", "v1");
        assertThat(release.exitCode()).as(release.stderr()).isEqualTo(ExitCode.RELEASED);
        stack.strategy("name: broken\nsteps:\n  - shift: 100\nbake: fast\n");

        GreeterStack.Run down = stack.cli("down", "--slots");

        assertThat(down.exitCode()).as(down.stderr()).isZero();
        assertThat(down.stderr()).contains("slot         blue (v1) stopped");
        assertThat(stack.listening(stack.bluePort)).as("blue stopped").isFalse();
    }

    @Test
    void missingConfigFile() {
        GreeterStack.Run run = stack.cliRaw("release", "v1", "-c", dir.resolve("nope.yaml").toString());
        assertBadInput(run, "nope.yaml", "file not found");
    }

    @Test
    void badValue() throws Exception {
        edit("successes: 2", "successes: 0");
        assertBadInput(stack.cli("release", "v1"), "health.successes must be at least 1");
    }

    @Test
    void unknownPlaceholder() throws Exception {
        edit("VERSION: \"{version}\"", "VERSION: \"{verison}\"");
        assertBadInput(stack.cli("release", "v1"), "platform.env.VERSION", "{verison}");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(stack.bluePort)) {
            assertBadInput(stack.cli("release", "v1"), "platform.ports.blue", String.valueOf(stack.bluePort));
        }
    }

    @Test
    void routerNotRunning() throws Exception {
        stack.stopRouter();
        assertBadInput(stack.cli("release", "v1"), "router", "switchman up");
    }

    @Test
    void unreachableDatabase() throws Exception {
        int closed = Ports.free();
        edit(stack.db.jdbcUrl(), "jdbc:postgresql://127.0.0.1:" + closed + "/nothing");
        GreeterStack.Run run = stack.cli("release", "v1");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("unreachable").contains("database.url");
        assertThat(stack.listening(stack.bluePort)).isFalse();
    }

    @Test
    void changelogThatDoesNotParse() throws Exception {
        Path file = dir.resolve("db/v1/changelog.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "<databaseChangeLog><changeSet id='1' author='x' labels='expand'><createTable>");
        assertBadInput(stack.cli("release", "v1", "--changelog", file.toString()), "changelog", "changelog.xml");
    }

    @Test
    void unlabelledChangeset() throws Exception {
        stack.changelog("v1", ReleaseGatesTest.V1 + """
                --changeset greeter:2
                alter table greetings add column title text;
                --rollback alter table greetings drop column title;
                """);
        assertBadInput(stack.cli("release", "v1"), "changelog.sql::2::greeter", "'expand'");
    }

    @Test
    void missingChangelog() {
        assertBadInput(stack.cli("release", "v9"), "db/v9/changelog.sql", "file not found");
    }

    @Test
    void badVersionArgument() {
        assertBadInput(stack.cli("release", "v1; rm -rf /"), "version");
    }

    @Test
    void aStrategyJudgedByTheRouterCountersThroughARouterThatKeepsNone() throws Exception {
        // A command router without a status command counts nothing per colour: the default router metric would
        // judge nothing, so the release is refused before it touches anything.
        String text = Files.readString(stack.config);
        Files.writeString(stack.config, text.replaceAll("router:\\n(  .*\\n)+?  drainTimeout: 5s\\n",
                "router:\n  type: command\n  setWeights: [\"true\"]\n"));
        assertBadInput(stack.cli("release", "v1"), "router.type command counts no requests per colour",
                "the router metric", "metrics: []");
    }

    private void assertBadInput(GreeterStack.Run run, String... mentions) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        for (String m : mentions) {
            assertThat(run.stderr()).contains(m);
        }
        // Nothing was touched: no release, no slot started, no weights given to the router, no schema change.
        try {
            assertThat(stack.lastRelease()).isEmpty();
            assertThat(stack.slotTraces()).as("start notes and logs of slots").isEmpty();
            assertThat(stack.listening(stack.greenPort)).isFalse();
            assertThat(stack.routerState()).as("the router's weights").isEmpty();
            assertThat(stack.appliedChangesets()).isEmpty();
        } catch (IOException | SQLException e) {
            throw new AssertionError(e);
        }
    }

    private void edit(String from, String to) throws Exception {
        String text = Files.readString(stack.config);
        assertThat(text).contains(from);
        Files.writeString(stack.config, text.replace(from, to));
    }
}
