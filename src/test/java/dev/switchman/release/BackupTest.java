package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup before expand ({@code backup.command}), with real commands against the real database: its result
 * (where, size, duration) is recorded on the release and shown by {@code history}; a failing or hanging backup fails
 * the release before expand applied anything; a missing program or an unknown placeholder is bad input that touches
 * nothing; a cancelled release stops the backup at once.
 */
class BackupTest {
    /** What the psql backup writes: the columns of greetings when it ran (v2's expand adds "title"). */
    private static final String COLUMNS_SQL = "select string_agg(column_name, ',' order by ordinal_position)"
            + " from information_schema.columns where table_schema = 'public' and table_name = 'greetings'";

    @TempDir
    Path dir;
    GreeterStack stack;
    String config;
    ReleaseRecord v1;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V2);
        config = Files.readString(stack.config);
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        v1 = stack.lastRelease().orElseThrow();
        assertThat(v1.backup()).as("no backup section, no backup").isNull();
    }

    @AfterEach
    void tearDown() throws Exception {
        // A config the test made invalid would keep 'down --slots' from stopping v1.
        stack.editConfig(edited -> config);
        stack.close();
    }

    @Test
    void aBackupIsTakenBeforeExpandAndHistoryShowsIt() throws Exception {
        boolean pgDump = pgDumpCanDumpTheServer();
        backup(pgDump ? List.of("pg_dump", "-Fc", "-f", "{backup.file}")
                // Connects through libpq's variables alone, as pg_dump would, and writes the file.
                : List.of("sh", "-c", "psql -X -Atc \"" + COLUMNS_SQL + "\" > {backup.file}"));

        GreeterStack.Run run = stack.cli("release", "v2", "--json");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        Path file = dir.resolve("state/backups/greeter-" + r.id() + "-v2.dump");
        assertThat(file).isRegularFile();
        if (pgDump) {
            assertThat(new String(Files.readAllBytes(file), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        } else {
            assertThat(Files.readString(file)).as("taken before expand added title").isEqualTo("id,name\n");
        }
        assertThat(r.backup()).isNotNull();
        assertThat(r.backup().location()).isEqualTo(file.toString());
        assertThat(r.backup().bytes()).isEqualTo(Files.size(file)).isPositive();
        assertThat(r.backup().durationMs()).isNotNegative()
                .isLessThanOrEqualTo(Duration.between(r.startedAt(), r.endedAt()).toMillis());

        // The gate runs between lock and expand, and says where the backup went.
        JsonArray steps = new JsonObject(run.stdout().strip()).getJsonArray("steps");
        assertThat(steps.stream().map(s -> ((JsonObject) s).getString("gate")).toList())
                .startsWith("lock", "backup", "expand");
        assertThat(r.backup().describe()).matches(Pattern.quote(file.toString()) + ", \\d+(\\.\\d)? (B|kB|MB), in \\d+ ms");
        assertThat(steps.getJsonObject(1).getString("detail")).isEqualTo("backup: " + r.backup().describe());
        assertThat(Files.readString(dir.resolve("state/logs/greeter-backup.log")))
                .contains("backup of release #" + r.id() + " (v2): ").contains("exit 0");

        GreeterStack.Run text = stack.cli("history");
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).contains("backup " + r.backup().describe());

        GreeterStack.Run json = stack.cli("history", "--json");
        JsonArray releases = new JsonObject(json.stdout().strip()).getJsonArray("releases");
        JsonObject backup = releases.getJsonObject(0).getJsonObject("backup");
        assertThat(backup.getString("location")).isEqualTo(file.toString());
        assertThat(backup.getLong("bytes")).isEqualTo(Files.size(file));
        assertThat(backup.getLong("durationMs")).isEqualTo(r.backup().durationMs());
        assertThat(releases.getJsonObject(1).getValue("backup")).as("v1 took none").isNull();
    }

    @Test
    void aFailingBackupFailsTheReleaseBeforeExpand() throws Exception {
        backup(List.of("sh", "-c", "echo partial > {backup.file}; echo 'pg_dump: error: connection to server failed' >&2; exit 3"));
        List<String> applied = stack.appliedChangesets();

        GreeterStack.Run run = stack.cli("release", "v2", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.id()).isNotEqualTo(v1.id());
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(r.gate()).isEqualTo("backup");
        assertThat(r.reason()).contains("backup.command exited with code 3")
                .contains("pg_dump: error: connection to server failed");
        assertThat(r.backup()).isNull();
        assertNothingApplied(applied);
        // The partial file does not pass for a backup.
        assertThat(backups()).isEmpty();
        JsonObject summary = new JsonObject(run.stdout().strip());
        assertThat(summary.getString("gate")).isEqualTo("backup");
        assertThat(summary.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("gate")))
                .doesNotContain("expand");
    }

    @Test
    void aBackupPastItsTimeoutIsStoppedAndFailsTheRelease() throws Exception {
        backup(List.of("sleep", "60"), "1s");
        List<String> applied = stack.appliedChangesets();
        long start = System.nanoTime();

        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord r = stack.lastRelease().orElseThrow();
        assertThat(r.gate()).isEqualTo("backup");
        assertThat(r.reason()).contains("backup.command did not finish within backup.timeout (1s)");
        assertNothingApplied(applied);
    }

    @Test
    void aBackupProgramThatIsNotThereIsBadInputAndTouchesNothing() throws Exception {
        backup(List.of("pg_dump-nowhere", "-Fc", "-f", "{backup.file}"));
        List<String> applied = stack.appliedChangesets();

        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("backup.command[0]: program 'pg_dump-nowhere' is not on the coordinator's PATH");
        assertNothingTouched(applied);
    }

    @Test
    void anUnknownPlaceholderInTheBackupCommandIsRefusedNamingTheKey() throws Exception {
        backup(List.of("pg_dump", "-Fc", "-f", "{backup.fiel}"));
        List<String> applied = stack.appliedChangesets();

        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("backup.command[3]: unknown placeholder {backup.fiel}").contains("backup.file");
        assertNothingTouched(applied);
    }

    @Test
    void aCancelledReleaseStopsItsBackupAtOnce() throws Exception {
        Path pidFile = dir.resolve("backup.pid");
        backup(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60"));
        List<String> applied = stack.appliedChangesets();
        Process coordinator = stack.releaseProcess("v2", "--json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long backupPid = Long.parseLong(Files.readString(pidFile).strip());
        long start = System.nanoTime();

        coordinator.destroy(); // SIGTERM, as a CD runner cancelling the job
        assertThat(coordinator.waitFor(30, TimeUnit.SECONDS)).as("the coordinator ended").isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(coordinator.exitValue()).isEqualTo(ExitCode.ROLLED_BACK);
        JsonObject summary = new JsonObject(Files.readString(dir.resolve("coordinator-v2.out")).strip());
        assertThat(summary.getString("gate")).isEqualTo("backup");
        assertThat(summary.getString("reason")).contains("SIGTERM");
        assertThat(ProcessHandle.of(backupPid).map(ProcessHandle::isAlive).orElse(false)).as("the backup was stopped").isFalse();
        assertNothingApplied(applied);
    }

    // ---- helpers

    private void backup(List<String> command) throws Exception {
        backup(command, null);
    }

    /** Adds a backup section with {@code command} (and {@code timeout}) to the stack's config. */
    private void backup(List<String> command, String timeout) throws Exception {
        StringBuilder section = new StringBuilder("backup:\n  command:\n");
        for (String element : command) {
            section.append("    - '").append(element.replace("'", "''")).append("'\n");
        }
        if (timeout != null) {
            section.append("  timeout: ").append(timeout).append('\n');
        }
        stack.editConfig(text -> text + section);
    }

    /** The failed release applied no changeset and left v1 serving alone. */
    private void assertNothingApplied(List<String> applied) throws Exception {
        assertThat(stack.appliedChangesets()).isEqualTo(applied);
        assertThat(stack.columns("greetings")).containsExactly("id", "name");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        assertThat(stack.listening(stack.greenPort)).as("green never started").isFalse();
    }

    /** Refused in preflight: no release row, no backup directory, nothing applied. */
    private void assertNothingTouched(List<String> applied) throws Exception {
        assertThat(stack.lastRelease().orElseThrow().id()).as("no release began").isEqualTo(v1.id());
        assertThat(dir.resolve("state/backups")).doesNotExist();
        assertNothingApplied(applied);
    }

    private List<Path> backups() throws Exception {
        Path backups = dir.resolve("state/backups");
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(backups)) {
            return new ArrayList<>(files.toList());
        }
    }

    /** pg_dump refuses a server of a newer major version than its own. */
    private boolean pgDumpCanDumpTheServer() throws Exception {
        Optional<Integer> dump = pgDumpMajor();
        try (Connection c = stack.db.open(); ResultSet rs = c.createStatement().executeQuery("show server_version_num")) {
            rs.next();
            int server = Integer.parseInt(rs.getString(1)) / 10_000;
            return dump.isPresent() && dump.get() >= server;
        }
    }

    private static Optional<Integer> pgDumpMajor() {
        try {
            Process p = new ProcessBuilder("pg_dump", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            Matcher m = Pattern.compile("\\(PostgreSQL\\) (\\d+)").matcher(out);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
