package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.PgReleaseStore;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code status}, {@code history} and {@code rollback} report, as a CD job reads it: the report on stdout
 * (text, or the JSON object with {@code --json}), errors on stderr, the JSON's exit code equal to the process's,
 * durations named {@code ...Ms}; an interrupted release named by its gate, the schema tag of a release whose
 * schema is in.
 */
class ReportTest {
    private static final String V1 = """
            --liquibase formatted sql
            --changeset greeter:1 labels:expand
            create table greetings (id serial primary key, name text);
            --rollback drop table greetings;
            """;
    private static final String V2 = V1 + """
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
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", V1);
        stack.changelog("v2", V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void statusPrintsItsReportOnStdout() {
        GreeterStack.Run text = stack.cli("status");
        assertThat(text.exitCode()).as(text.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(text.stdout()).contains("application  greeter").contains("live         blue (v1)")
                .contains("weights      blue 100%, green 0%").contains("in progress  none");
        assertThat(text.stderr()).doesNotContain("application  greeter").doesNotContain("live         ");

        GreeterStack.Run json = stack.cli("status", "--json");
        assertThat(json.exitCode()).as(json.stderr()).isEqualTo(ExitCode.RELEASED);
        // Nothing but the JSON object on stdout, and no text report elsewhere.
        JsonObject status = new JsonObject(json.stdout().strip());
        assertThat(status.getString("application")).isEqualTo("greeter");
        assertThat(status.getJsonObject("live").getString("version")).isEqualTo("v1");
        assertThat(status.getInteger("exitCode")).isEqualTo(ExitCode.RELEASED);
        assertThat(json.stderr()).doesNotContain("application  greeter");
    }

    @Test
    void statusWhenTheRouterIsUnreachableAsksAPersonToActAndStillReports() {
        stack.stopRouter();

        GreeterStack.Run text = stack.cli("status");
        assertThat(text.exitCode()).as(text.stderr()).isEqualTo(ExitCode.ACT_NOW);
        assertThat(text.stdout()).contains("application  greeter").contains("live         blue (v1)")
                .contains("weights      router unreachable: ");
        assertThat(text.stderr()).contains("router").contains("switchman up");

        GreeterStack.Run json = stack.cli("status", "--json");
        assertThat(json.exitCode()).as(json.stderr()).isEqualTo(ExitCode.ACT_NOW);
        JsonObject status = new JsonObject(json.stdout().strip());
        assertThat(status.getInteger("exitCode")).isEqualTo(ExitCode.ACT_NOW);
        assertThat(status.getString("routerError")).isNotBlank();
        assertThat(status.getValue("weights")).isNull();
        assertThat(status.getJsonObject("live").getString("version")).isEqualTo("v1");
    }

    @Test
    void aReleaseRolledBackWithItsExpandUndoneLeavesTheSchemaTagOfTheLastReleaseWhoseSchemaIsIn() throws Exception {
        String v1Tag = stack.lastRelease().orElseThrow().schemaTag();
        assertThat(v1Tag).isNotNull();
        stack.fault(Colour.GREEN, "unhealthy", true);
        GreeterStack.Run failed = stack.cli("release", "v2");
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord v2 = stack.lastRelease().orElseThrow();
        assertThat(v2.schemaTag()).isNotEqualTo(v1Tag);
        assertThat(stack.columns("greetings")).as("expand undone").containsExactly("id", "name");

        GreeterStack.Run json = stack.cli("status", "--json");
        assertThat(new JsonObject(json.stdout().strip()).getString("schemaTag")).isEqualTo(v1Tag);
        assertThat(stack.cli("status").stdout()).contains("schema tag   " + v1Tag + "\n");
    }

    @Test
    void historyReportsOnStdoutWithEachReleasesExitCodeAndDurationAndMsKeys() throws Exception {
        stack.fault(Colour.GREEN, "unhealthy", true);
        GreeterStack.Run failed = stack.cli("release", "v2", "--json");
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        // The release summary: durations named ...Ms, the step's and the whole command's.
        JsonObject summary = new JsonObject(failed.stdout().strip());
        assertThat(summary.fieldNames()).contains("wallMs").doesNotContain("wallMillis");
        assertThat(summary.getLong("wallMs")).isPositive();
        assertThat(summary.getJsonArray("steps")).isNotEmpty();
        summary.getJsonArray("steps").forEach(s -> {
            JsonObject step = (JsonObject) s;
            assertThat(step.fieldNames()).as(step.encode()).contains("durationMs").doesNotContain("millis");
            assertThat(step.getLong("durationMs")).isNotNegative();
        });

        GreeterStack.Run text = stack.cli("history");
        assertThat(text.exitCode()).as(text.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(text.stdout()).contains("v2").contains("ROLLED_BACK").contains("v1").contains("RELEASED");
        assertThat(text.stderr()).doesNotContain("ROLLED_BACK");

        GreeterStack.Run json = stack.cli("history", "--json", "--events");
        assertThat(json.exitCode()).as(json.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(json.stderr()).doesNotContain("ROLLED_BACK");
        JsonArray releases = new JsonObject(json.stdout().strip()).getJsonArray("releases");
        assertThat(releases).hasSize(2);
        JsonObject v2 = releases.getJsonObject(0);
        assertThat(v2.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(v2.getInteger("exitCode")).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(v2.getLong("durationMs")).isNotNegative();
        JsonObject v1 = releases.getJsonObject(1);
        assertThat(v1.getString("state")).isEqualTo("RELEASED");
        assertThat(v1.getInteger("exitCode")).isEqualTo(ExitCode.RELEASED);
        assertThat(v1.getLong("durationMs")).isPositive();
        v2.getJsonArray("events").forEach(e -> {
            JsonObject event = (JsonObject) e;
            assertThat(event.fieldNames()).as(event.encode()).contains("durationMs").doesNotContain("millis");
        });
    }

    @Test
    void aReleaseKilledInsideTheLockGateIsNamedByItsGate() {
        ReleaseRecord interrupted = interruptedInsideTheLockGate();
        String named = "release #" + interrupted.id() + " of greeter (v2) was interrupted at gate lock";

        GreeterStack.Run refused = stack.cli("release", "v2");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCode.CONFLICT);
        assertThat(refused.stderr()).contains(named).doesNotContain("gate null");

        GreeterStack.Run status = stack.cli("status");
        assertThat(status.stdout()).contains("in progress  #" + interrupted.id() + " v2 RUNNING at gate lock")
                .doesNotContain("gate null");
        JsonObject inProgress = new JsonObject(stack.cli("status", "--json").stdout().strip()).getJsonObject("inProgress");
        assertThat(inProgress.getString("gate")).isEqualTo("lock");

        // Unfinished: no exit code or duration yet.
        JsonObject last = new JsonObject(stack.cli("history", "--json").stdout().strip()).getJsonArray("releases").getJsonObject(0);
        assertThat(last.getString("gate")).isEqualTo("lock");
        assertThat(last.containsKey("exitCode")).isTrue();
        assertThat(last.getValue("exitCode")).isNull();
        assertThat(last.getValue("durationMs")).isNull();

        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(rollback.stderr()).contains(named).doesNotContain("gate null");
        assertThat(stack.lastRelease().orElseThrow().state()).isEqualTo(ReleaseState.ROLLED_BACK);
    }

    @Test
    void rollbackJsonReportsTheExitCodeTheProcessExitsWith() {
        interruptedInsideTheLockGate();

        GreeterStack.Run rollback = stack.cli("rollback", "--json");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isEqualTo(ExitCode.RELEASED);
        JsonObject summary = new JsonObject(rollback.stdout().strip());
        assertThat(summary.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(summary.getInteger("exitCode")).isEqualTo(rollback.exitCode());
        assertThat(summary.fieldNames()).contains("wallMs").doesNotContain("wallMillis");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    /**
     * The store as a coordinator killed inside the lock gate leaves it: the release row created (as the lock gate
     * creates it), its lock gone with its session, no later gate reached.
     */
    private ReleaseRecord interruptedInsideTheLockGate() {
        Vertx vertx = Vertx.vertx();
        try (PgReleaseStore store = PgReleaseStore.connect(vertx, Clock.systemUTC(), stack.db)) {
            return Futures.await(store.begin("greeter", "v2", Colour.BLUE, "v1", Colour.GREEN,
                    dir.resolve("db/v2/changelog.sql").toString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            Futures.await(vertx.close());
        }
    }
}
