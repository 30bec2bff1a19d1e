package dev.switchman.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release's metrics leave the process the way the config says: PUT to a Pushgateway's group for the application
 * (here a real HTTP server receiving them, Vert.x's: Debian ships no Pushgateway) and written atomically for
 * node_exporter's textfile collector, read back by promtool. A Pushgateway that is down is a warning only.
 */
class MetricsExportTest {
    private static final String GROUP = "/metrics/job/switchman/application/greeter";

    @TempDir
    Path dir;
    GreeterStack stack;
    final Vertx vertx = Vertx.vertx();
    final List<Push> pushes = new CopyOnWriteArrayList<>();
    HttpServer receiver;

    record Push(String method, String path, String contentType, String body) {}

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("1s", 50, 100));
        stack.startRouter();
        stack.changelog("v1", V1);
        stack.changelog("v2", V2);
        receiver = Futures.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            pushes.add(new Push(request.method().name(), request.path(), request.getHeader("Content-Type"), body.toString()));
            request.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
        vertx.close();
    }

    @Test
    void aReleaseIsPushedToItsGroupAndWrittenForTheTextfileCollector() throws Exception {
        Files.createDirectories(dir.resolve("textfile"));
        metrics("  pushgateway: http://127.0.0.1:" + receiver.actualPort() + "\n  textfile: textfile/switchman-greeter.prom\n");

        GreeterStack.Run run = stack.cli("release", "v1");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).doesNotContain("warning: metrics");

        // A push as each gate starts, so a release stuck in one shows it, and the last once it ended.
        assertThat(pushes).hasSizeGreaterThanOrEqualTo(2).allSatisfy(push -> {
            assertThat(push.method()).isEqualTo("PUT");
            assertThat(push.path()).isEqualTo(GROUP);
            assertThat(push.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        });
        assertThat(pushes.subList(0, pushes.size() - 1)).anySatisfy(push ->
                assertThat(push.body()).containsPattern("switchman_release_gate\\{application=\"greeter\",gate=\"[a-z-]+\"} 1\\.0"));
        String last = pushes.getLast().body();
        assertThat(last)
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"released\"} 1.0")
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"rolled_back\"} 0.0")
                .doesNotContainPattern("switchman_release_gate\\{[^}]*} 1\\.0")
                .contains("switchman_traffic_weight{application=\"greeter\",colour=\"blue\"} 100.0")
                .contains("switchman_release_needs_a_person{application=\"greeter\"} 0.0")
                .containsPattern("switchman_build_info\\{application=\"greeter\",version=\"[^\"]+\"} 1");
        for (String gate : List.of("lock", "backup", "expand", "verify-live", "deploy-new", "check-new", "shift", "bake",
                "contract", "retire-live")) {
            assertThat(last).contains("switchman_gate_duration_seconds_count{application=\"greeter\",gate=\"" + gate
                    + "\",result=\"passed\"} 1");
        }

        // The textfile holds the same last export, whole: the temporary file was renamed over it.
        Path textfile = dir.resolve("textfile/switchman-greeter.prom");
        assertThat(Files.readString(textfile)).isEqualTo(last);
        assertThat(dir.resolve("textfile/switchman-greeter.prom.tmp")).doesNotExist();
        Promtool.assumeInstalled();
        Promtool.Result check = Promtool.run(dir, Files.readString(textfile), "check", "metrics");
        assertThat(check.exitCode()).as(check.output()).isZero();

        // Bad input is counted too, and the application's group now says so.
        GreeterStack.Run refused = stack.cli("release", "v9");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"bad_input\"} 1.0")
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"released\"} 0.0")
                .as("bad input says nothing of what the last release left").doesNotContain("switchman_release_needs_a_person");

        // So is the lint's refusal, with its findings.
        stack.changelog("v3", V1 + """
                --changeset greeter:4 labels:expand
                alter table greetings drop column name;
                --rollback alter table greetings add column name text;
                """);
        GreeterStack.Run unsafe = stack.cli("release", "v3");
        assertThat(unsafe.exitCode()).as(unsafe.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(unsafe.stderr()).contains("lint: 1 unsafe statement(s)");
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"bad_input\"} 1.0")
                .contains("switchman_lint_findings_total{accepted=\"false\",application=\"greeter\",rule=\"drop-column\"} 1.0");
    }

    @Test
    void aRollbackAtTheShiftIsCountedWithItsGateItsSpanAndTheWeightsItLeft() throws Exception {
        metrics("  pushgateway: http://127.0.0.1:" + receiver.actualPort() + "\n");
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);

        stack.fault(Colour.GREEN, "errors", true);
        AtomicBoolean running = new AtomicBoolean(true);
        // Requests flowing through the router, so its counters see green's errors.
        Thread traffic = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                stack.get();
            }
        });
        GreeterStack.Run run;
        try {
            run = stack.cli("release", "v2");
        } finally {
            running.set(false);
            traffic.join(Duration.ofSeconds(10));
        }
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(pushes.subList(0, pushes.size() - 1)).as("a push while traffic was split").anySatisfy(push ->
                assertThat(push.body()).contains("switchman_traffic_weight{application=\"greeter\",colour=\"green\"} 50.0"));
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"rolled_back\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"shift\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"bake\"} 0.0")
                .contains("switchman_gate_duration_seconds_count{application=\"greeter\",gate=\"shift\",result=\"failed\"} 1")
                .contains("switchman_gate_duration_seconds_count{application=\"greeter\",gate=\"shift\",result=\"undone\"} 1")
                .contains("switchman_gate_duration_seconds_count{application=\"greeter\",gate=\"deploy-new\",result=\"undone\"} 1")
                .contains("switchman_rollback_span_seconds_count{application=\"greeter\"} 1")
                .contains("switchman_traffic_weight{application=\"greeter\",colour=\"blue\"} 100.0")
                .contains("switchman_traffic_weight{application=\"greeter\",colour=\"green\"} 0.0");
    }

    @Test
    void aRollbackOrAnAbortOfAKilledReleaseIsCountedAtTheGateTheReleaseWasIn() throws Exception {
        metrics("  pushgateway: http://127.0.0.1:" + receiver.actualPort() + "\n");
        stack.changelog("v3", V2);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        // A long bake, so that the coordinator is killed while the new version takes the traffic.
        stack.strategy(GreeterStack.strategy("60s", 100));

        killInBake("v2");
        // The next release finds v2 interrupted: refused (exit 4), and a person must now act.
        GreeterStack.Run refused = stack.cli("release", "v3");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCode.CONFLICT);
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"conflict\"} 1.0")
                .contains("switchman_release_needs_a_person{application=\"greeter\"} 1.0");
        int pushed = pushes.size();
        GreeterStack.Run rollback = stack.cli("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(rollback.stderr()).doesNotContain("warning: metrics");
        assertThat(pushes).hasSizeGreaterThan(pushed).allSatisfy(push -> assertThat(push.path()).isEqualTo(GROUP));
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"rolled_back\"} 1.0")
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"released\"} 0.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"bake\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"shift\"} 0.0")
                .contains("switchman_gate_duration_seconds_count{application=\"greeter\",gate=\"shift\",result=\"undone\"} 1")
                .contains("switchman_release_needs_a_person{application=\"greeter\"} 0.0")
                .doesNotContainPattern("switchman_release_gate\\{[^}]*} 1\\.0");

        // Nothing in progress: the refusal exports nothing, so the group still holds the rollback.
        pushed = pushes.size();
        GreeterStack.Run nothing = stack.cli("rollback");
        assertThat(nothing.exitCode()).as(nothing.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(pushes).hasSize(pushed);

        // abort rolls back a release nobody coordinates itself, and counts it the same way.
        killInBake("v3");
        GreeterStack.Run abort = stack.cli("abort");
        assertThat(abort.exitCode()).as(abort.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(abort.stderr()).contains("rolling it back here");
        assertThat(pushes.getLast().body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"rolled_back\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"bake\"} 1.0");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aMigrationIsTimedAndItsLockTimeoutRetriesCounted() throws Exception {
        metrics("  pushgateway: http://127.0.0.1:" + receiver.actualPort() + "\n");
        stack.editConfig(config -> config + "migrator:\n  lockTimeout: 200ms\n  lockRetries: 20\n");
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);

        // A session reading greetings in an open transaction: v2's expand (alter table) waits on its lock and times
        // out. The lock is let go once two attempts of expand (two connections) have waited on it, so at least one
        // retry happened, and the release goes on.
        GreeterStack.Run run;
        try (Connection reader = stack.db.open(); Connection watcher = stack.db.open()) {
            reader.setAutoCommit(false);
            reader.createStatement().execute("select count(*) from greetings");
            var result = new java.util.concurrent.atomic.AtomicReference<GreeterStack.Run>();
            Thread release = Thread.ofVirtual().start(() -> result.set(stack.cli("release", "v2")));
            Set<Integer> waiters = new HashSet<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                try (ResultSet rs = watcher.createStatement().executeQuery("select pid from pg_locks where not granted"
                        + " and relation = 'public.greetings'::regclass")) {
                    while (rs.next()) {
                        waiters.add(rs.getInt(1));
                    }
                }
                return waiters.size() >= 2;
            });
            reader.rollback();
            release.join(Duration.ofSeconds(120));
            run = result.get();
        }
        assertThat(run).isNotNull();
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).contains("expand: a statement waited longer than migrator.lockTimeout for a lock; running it again");
        String last = pushes.getLast().body();
        assertThat(last)
                .containsPattern("switchman_migration_lock_timeout_retries_total\\{application=\"greeter\",phase=\"expand\"} [1-9][0-9]*\\.0")
                .contains("switchman_migration_lock_timeout_retries_total{application=\"greeter\",phase=\"contract\"} 0.0")
                .contains("switchman_migration_duration_seconds_count{application=\"greeter\",phase=\"expand\",result=\"passed\"} 1")
                .contains("switchman_migration_duration_seconds_count{application=\"greeter\",phase=\"contract\",result=\"passed\"} 1");
    }

    /** Releases {@code version} in a process of its own and kills it (SIGKILL) once the release is in its bake. */
    private void killInBake(String version) throws Exception {
        Process coordinator = stack.releaseProcess(version);
        try {
            // Bounded generously: a JVM of its own starting on a busy machine.
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> stack.lastRelease()
                    .map(r -> r.version().equals(version) && "bake".equals(r.gate())).orElse(false));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("release " + version + " never reached bake; it said:\n"
                    + Files.readString(dir.resolve("coordinator-" + version + ".log")), e);
        } finally {
            coordinator.destroyForcibly().waitFor();
        }
    }

    @Test
    void aPushgatewayThatIsDownIsAWarningAndTheReleaseStands() throws Exception {
        int closed = Ports.free();
        metrics("  pushgateway: http://127.0.0.1:" + closed + "\n  timeout: 2s\n");

        GreeterStack.Run run = stack.cli("release", "v1", "--json");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(new JsonObject(run.stdout().trim()).getString("state")).isEqualTo("RELEASED");
        assertThat(run.stderr()).containsOnlyOnce("switchman: warning: metrics: could not push to http://127.0.0.1:"
                + closed + GROUP + ": cannot connect").contains("(the release's outcome stands)");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    private void metrics(String section) throws Exception {
        stack.editConfig(config -> config + "metrics:\n" + section);
    }

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
}
