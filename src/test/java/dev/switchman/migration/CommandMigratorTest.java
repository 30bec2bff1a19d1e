package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Placeholders;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.command.CommandMigrator;
import dev.switchman.migration.command.CommandSettings;
import dev.switchman.migration.command.CommandSettings.PlanCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command kind with real Alembic (Debian's alembic, python3-psycopg2): an Alembic project per version, with
 * revisions per version ({@code v2_expand}, {@code v2_contract}) and an env.py that names no database, as libpq's
 * variables say where it is. Then what is the command kind's own: failures, lock bounds, passwords.
 */
class CommandMigratorTest extends MigratorContract {
    private static final String ALEMBIC = "alembic";

    @TempDir
    Path state;
    @TempDir
    Path projects;

    @Override
    protected Migrator migrator(Vertx vertx, DatabaseInfo db) {
        return migrator(vertx, db, alembic(Duration.ofSeconds(1), 3), System.getenv());
    }

    private Migrator migrator(Vertx vertx, DatabaseInfo db, CommandSettings settings, Map<String, String> env) {
        return new CommandMigrator(vertx, settings, state, new Placeholders(Map.of("app", "orders")), env, db, log(),
                Clock.systemUTC());
    }

    /** Alembic, the way the README configures it for revisions per version. */
    private static CommandSettings alembic(Duration lockTimeout, int lockRetries) {
        List<String> alembic = List.of(ALEMBIC, "-c", "{changelog}/alembic.ini");
        return new CommandSettings(
                with(alembic, "upgrade", "{version}_expand"),
                with(alembic, "upgrade", "head"),
                with(alembic, "downgrade", "{schema.before}"),
                with(alembic, "current"),
                new PlanCommands(with(alembic, "upgrade", "--sql", "{schema.before}:{version}_expand"),
                        with(alembic, "upgrade", "--sql", "{version}_expand:head")),
                Map.of(), null, null, lockTimeout, lockRetries, null);
    }

    @Override
    protected Migrator.Changes changes(Fixture fixture) {
        return switch (fixture) {
            case ORDERS_V1 -> new Migrator.Changes("v1", project("v1", "v1_expand"));
            case ORDERS_V2 -> new Migrator.Changes("v2", project("v2", "v1_expand", "v2_expand", "v2_contract"));
            // The commands name {changelog}, and this version has none.
            case REFUSED -> new Migrator.Changes("v3", null);
        };
    }

    @Override
    protected String historyTable() {
        return "alembic_version";
    }

    @Test
    void theRevisionBeforeExpandIsWhatCurrentPrints() {
        assertThat(await(migrator.schemaBefore(changes(Fixture.ORDERS_V1), "unused"))).as("an empty schema").isEqualTo("base");
        expand(Fixture.ORDERS_V1);
        assertThat(await(migrator.schemaBefore(changes(Fixture.ORDERS_V2), "unused"))).isEqualTo("v1_expand");
    }

    @Test
    void aFailingCommandFailsItsStepWithTheTailOfItsOutput() {
        Migrator.Changes missing = new Migrator.Changes("v9", project("v2", "v1_expand", "v2_expand", "v2_contract"));

        assertThatThrownBy(() -> await(migrator.expand(missing, "base")))
                .isInstanceOf(CommandMigrator.CommandFailed.class)
                .hasMessageContaining("migrator.expand: alembic -c ")
                .hasMessageContaining("exited with 255")
                .hasMessageContaining("v9_expand")
                .hasMessageContaining(log().toString());
    }

    @Test
    void checkRefusesAProgramThatIsNotThereBeforeAnythingRuns() throws Exception {
        CommandSettings settings = new CommandSettings(List.of("alembic-that-is-not-installed", "upgrade", "head"),
                List.of(ALEMBIC, "upgrade", "head"), null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> await(migrator(vertx, db, settings, System.getenv()).check(changes(Fixture.ORDERS_V1))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("migrator.expand[0]")
                .hasMessageContaining("alembic-that-is-not-installed")
                .hasMessageContaining("migrator.env");
        assertThat(Files.exists(log())).as("nothing ran").isFalse();
    }

    @Test
    void withoutUndoExpandTheReleaseIsToldExpandStays() {
        CommandSettings settings = new CommandSettings(List.of(ALEMBIC, "upgrade", "head"), List.of(ALEMBIC, "upgrade", "head"),
                null, null, null, null, null, null, null, null, null);
        Migrator noUndo = migrator(vertx, db, settings, System.getenv());

        assertThat(noUndo.mayUndoExpand()).isFalse();
        assertThat(noUndo.whyExpandStays()).contains("migrator.undoExpand is not set");
        assertThatThrownBy(() -> new CommandSettings(List.of(ALEMBIC), List.of(ALEMBIC), List.of(ALEMBIC, "downgrade",
                "{schema.before}"), null, null, null, null, null, null, null, null))
                .hasMessageContaining("migrator.undoExpand uses {schema.before}").hasMessageContaining("migrator.current");
    }

    @Test
    void aTableLockHeldElsewhereIsWaitedForBoundedThenRetried() throws Exception {
        expand(Fixture.ORDERS_V1);
        Connection holder = db.open();
        holder.setAutoCommit(false);
        holder.createStatement().execute("lock table orders in access exclusive mode");
        try {
            // Held throughout: two attempts of at most 200 ms each (PGOPTIONS carries lock_timeout to psycopg2).
            Migrator bounded = migrator(vertx, db, alembic(Duration.ofMillis(200), 1), System.getenv());
            List<Migrator.Step> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
            bounded.onLockRetry(retried::add);
            assertThatThrownBy(() -> await(bounded.expand(changes(Fixture.ORDERS_V2), "v1_expand")))
                    .hasMessageContaining("migrator.lockTimeout (200 ms)")
                    .hasMessageContaining("2 time(s)")
                    .hasMessageContaining("pg_stat_activity");
            assertThat(retried).as("the retries the release's metrics count").containsExactly(Migrator.Step.EXPAND);
            assertThat(columns("orders")).containsExactly("id", "customer");

            // Released while the command waits or backs off: a later attempt succeeds.
            Future<Migrator.MigrationResult> patient = migrator(vertx, db, alembic(Duration.ofMillis(200), 30), System.getenv())
                    .expand(changes(Fixture.ORDERS_V2), "v1_expand");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(log())
                    && Files.readString(log()).split("lock timeout", -1).length > 3);
            holder.rollback();
            await(patient);
            assertThat(columns("orders")).containsExactly("id", "customer", "client");
        } finally {
            holder.close();
        }
    }

    @Test
    void thePasswordReachesTheToolButNeverItsLogOrTheReason() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("ORDERS_DB_PASSWORD", "s3cret-value");
        DatabaseInfo withPassword = new DatabaseInfo(db.host(), db.port(), db.name(), db.user(), "ORDERS_DB_PASSWORD");
        // A tool that prints its connection settings, as some do when they fail.
        CommandSettings settings = new CommandSettings(
                List.of("sh", "-c", "echo \"connecting as $PGUSER with password $PGPASSWORD\" >&2; exit 3"),
                List.of("true"), null, null, null, null, null, null, null, null, null);
        Migrator leaky = new CommandMigrator(vertx, settings, state, new Placeholders(Map.of("app", "orders")), env,
                withPassword, log(), Clock.systemUTC());

        assertThatThrownBy(() -> await(leaky.expand(changes(Fixture.ORDERS_V1), "base")))
                .hasMessageContaining("with password ********")
                .hasMessageNotContaining("s3cret-value");
        assertThat(Files.readString(log())).contains("with password ********").doesNotContain("s3cret-value");
    }

    @Test
    void aCommandRunsInItsWorkingDirectoryWithMigratorEnv() throws Exception {
        CommandSettings settings = new CommandSettings(
                List.of("sh", "-c", "echo \"$PWD $PHASE_NOTE $PGOPTIONS\" > seen.txt"), List.of("true"),
                null, null, null, Map.of("PHASE_NOTE", "expanding-{version}"), null, null, Duration.ofMillis(750), null, null);
        await(migrator(vertx, db, settings, System.getenv()).expand(changes(Fixture.ORDERS_V1), "base"));

        assertThat(Files.readString(state.resolve("seen.txt")).strip())
                .isEqualTo(state.toRealPath() + " expanding-v1 -c lock_timeout=750");
    }

    private Path log() {
        return state.resolve("logs").resolve("orders-migrator.log");
    }

    /** An Alembic project as version {@code version} of the application ships it: the revisions up to its own. */
    private String project(String version, String... revisions) {
        Path project = projects.resolve(version);
        try {
            Files.createDirectories(project.resolve("versions"));
            for (String file : new String[] {"alembic.ini", "env.py", "script.py.mako"}) {
                copy("alembic/project/" + file, project.resolve(file));
            }
            for (String revision : revisions) {
                copy("alembic/revisions/" + revision + ".py", project.resolve("versions").resolve(revision + ".py"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return project.toString();
    }

    private static void copy(String resource, Path to) throws IOException {
        if (Files.exists(to)) {
            return;
        }
        try (InputStream in = CommandMigratorTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.copy(in, to);
        }
    }

    private static List<String> with(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }
}
