package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrator.verify}: what must hold after expand (else the release rolls back, expand undone) and after
 * contract (else it is reported: a person must act). A query on the database, or a command on libpq's variables.
 */
class SchemaVerifyTest {
    @TempDir
    Path dir;
    GreeterStack stack;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void checksThatHoldAreShownInTheirGates() throws Exception {
        verify("""
                    expand:
                      sql: "select count(*) = 2 from information_schema.columns where table_name = 'greetings' and column_name in ('name', 'title')"
                    contract:
                      command: ["psql", "-Atc", "select title from greetings limit 1"]
                """);
        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).contains("migrator.verify.expand: the query returned true")
                .contains("migrator.verify.contract: psql -Atc select title from greetings limit 1 exited 0");
    }

    @Test
    void aCheckThatFailsAfterExpandRollsTheReleaseBackWithExpandUndone() throws Exception {
        verify("""
                    expand:
                      sql: "select exists (select 1 from information_schema.columns where column_name = 'subtitle')"
                """);
        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("expand");
        assertThat(r.reason()).contains("migrator.verify.expand: the query returned false");
        assertThat(stack.columns("greetings")).as("expand undone").containsExactly("id", "name");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aCheckThatFailsAfterContractIsReportedForAPersonToAct() throws Exception {
        verify("""
                    contract:
                      command: ["psql", "-Atc", "select name from greetings"]
                """);
        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ACT_NOW);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.state()).isEqualTo(ReleaseState.FAILED_PAST_CONTRACT);
        assertThat(r.gate()).isEqualTo("contract");
        assertThat(r.reason()).contains("migrator.verify.contract: psql -Atc select name from greetings exited with 1")
                .contains("column \"name\" does not exist");
    }

    /** Adds {@code migrator.verify} with the given checks (indented under it) to the stack's config. */
    private void verify(String checks) throws Exception {
        stack.editConfig(config -> config + "migrator:\n  verify:\n" + checks);
    }
}
