package dev.switchman.cli;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import dev.switchman.model.ExitCode;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchman rehearse} on real PostgreSQL: a throwaway server for the rehearsal, and a test database standing
 * in for the application's, which must come out of it exactly as it went in.
 */
class RehearseTest {
    @TempDir
    Path dir;

    private Vertx vertx;

    @AfterEach
    void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void aGoodReleaseFromTheApplicationsHistoryPassesWithTheLocksAndRewritesOfEachStep() throws Exception {
        DatabaseInfo app = applicationAt("v1");
        List<String> before = snapshot(app);

        CliRun run = rehearse(config(app, null), "v2", "--json");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        JsonObject report = new JsonObject(run.stdout().strip());
        assertThat(report.getBoolean("passed")).isTrue();
        assertThat(report.getString("history")).contains("the application's database " + app).contains("read-only");
        assertThat(steps(report)).containsExactly("history", "check", "expand", "undo-expand", "expand-again", "contract");
        assertThat(step(report, "history").getString("detail")).contains("1 changeset(s)").contains("h1-accounts (test)");

        JsonObject expand = step(report, "expand");
        assertThat(expand.getJsonArray("changes")).as("the history is not this release's")
                .containsExactly("r1-add-note (test)", "r2-index-note (test)");
        assertThat(lock(expand, "public.accounts").getString("mode")).as("add column").isEqualTo("ACCESS EXCLUSIVE");
        assertThat(lock(expand, "public.accounts").getBoolean("blocksReads")).isTrue();
        assertThat(expand.getJsonArray("rewritten")).as("adding a nullable column rewrites nothing").isEmpty();
        assertThat(expand.getInteger("samples")).isPositive();

        JsonObject undo = step(report, "undo-expand");
        assertThat(undo.getString("detail")).contains("the schema is as it was before expand");
        assertThat(step(report, "expand-again").getString("detail")).contains("the same schema as the first expand");

        JsonObject contract = step(report, "contract");
        assertThat(contract.getJsonArray("changes")).containsExactly("c1-widen-balance (test)");
        assertThat(lock(contract, "public.accounts").getString("mode")).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(lock(contract, "public.accounts").getString("statement"))
                .isEqualTo("alter table accounts alter column balance type bigint");
        assertThat(relations(contract.getJsonArray("rewritten"))).as("int to bigint copies every row")
                .contains("public.accounts (table)", "public.accounts_pkey (index)");
        assertThat(contract.getJsonArray("lint").stream().map(f -> ((JsonObject) f).getString("rule")))
                .as("the lint's finding beside what was seen").containsExactly("change-column-type");

        assertThat(snapshot(app)).as("the application's database is only read").isEqualTo(before);
    }

    @Test
    void theTextReportShowsEachStepItsLocksAndRewrites() throws Exception {
        DatabaseInfo app = applicationAt("v1");

        CliRun run = rehearse(config(app, null), "v2");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout())
                .containsPattern("expand +passed +\\d+ ms")
                .contains("lock public.accounts (table): ACCESS EXCLUSIVE, blocks reads and writes")
                .contains("rewritten: none")
                .contains("rewritten: public.accounts (table)")
                .contains("[change-column-type] change c1-widen-balance (test)")
                .contains("a lock held for less than that outside a DDL statement can be missed")
                .contains("passed: expand, its undo, expand again and contract all ran");
    }

    @Test
    void anExpandChangesetWithoutRollbackIsExitTwoNamingIt() throws Exception {
        CliRun checked = rehearse(config(null, null), "no-rollback", "--json");

        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        JsonObject report = new JsonObject(checked.stdout().strip());
        assertThat(report.getString("history")).contains("an empty database").contains("unreachable");
        assertThat(report.getString("failedStep")).isEqualTo("check");
        assertThat(report.getString("failedChange")).isEqualTo("r1-add-note (test)");
        assertThat(step(report, "check").getString("detail")).contains("r1-add-note").contains("has no rollback");
        assertThat(step(report, "expand").getString("result")).isEqualTo("not run");

        // A config that lets a release keep expand still has its undo rehearsed: it is the undo that fails.
        CliRun undone = rehearse(config(null, "migrator:\n  undoExpand: false\n"), "no-rollback");
        assertThat(undone.exitCode()).as(undone.stdout() + undone.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(undone.stdout()).containsPattern("undo-expand +failed")
                .contains("not releasable: undo-expand failed at change r1-add-note (test) (exit 2)");
    }

    @Test
    void aRollbackThatFailsIsExitTwoNamingItsChangeset() throws Exception {
        CliRun run = rehearse(config(null, null), "failing-rollback", "--json");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        JsonObject report = new JsonObject(run.stdout().strip());
        assertThat(report.getString("failedStep")).isEqualTo("undo-expand");
        assertThat(report.getString("failedChange")).as("r2's rollback ran first and passed").isEqualTo("r1-add-note (test)");
        JsonObject undo = step(report, "undo-expand");
        assertThat(undo.getString("detail")).contains("no_such_column");
        assertThat(undo.getJsonArray("changes")).as("undone before it failed").containsExactly("r2-add-flag (test)");
        assertThat(step(report, "expand-again").getString("result")).isEqualTo("not run");
    }

    @Test
    void aRollbackThatLeavesAColumnBehindIsExitTwoNamingIt() throws Exception {
        DatabaseInfo app = applicationAt("v1");
        List<String> before = snapshot(app);

        CliRun run = rehearse(config(app, null), "partial-rollback", "--json");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        JsonObject report = new JsonObject(run.stdout().strip());
        assertThat(report.getString("failedStep")).isEqualTo("undo-expand");
        assertThat(report.getString("failedChange")).isEqualTo("r1-add-columns (test)");
        assertThat(step(report, "undo-expand").getJsonArray("findings").getList())
                .containsExactly("undo leaves column public.accounts.nickname text (named in r1-add-columns (test))");
        assertThat(snapshot(app)).isEqualTo(before);
    }

    @Test
    void fromASchemaDumpWithItsHistoryRows() throws Exception {
        CliRun run = rehearse(config(null, null), "v2", "--json", "--from-schema", resource("rehearse/dump.sql").toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        JsonObject report = new JsonObject(run.stdout().strip());
        assertThat(report.getString("history")).startsWith("the schema dump ").contains("dump.sql");
        assertThat(step(report, "history").getString("detail")).contains("loaded with psql").doesNotContain("runs as new");
        assertThat(step(report, "expand").getJsonArray("changes")).as("h1 is in the dump's history rows")
                .containsExactly("r1-add-note (test)", "r2-index-note (test)");
        assertThat(relations(step(report, "contract").getJsonArray("rewritten"))).contains("public.accounts (table)");
    }

    @Test
    void aToolRunThroughCommandsIsWatchedToo() throws Exception {
        Path sql = resource("rehearse/command");
        String migrator = """
                migrator:
                  type: command
                  workingDir: %s
                  expand: ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "expand.sql"]
                  undoExpand: ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "undo.sql"]
                  contract: ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "contract.sql"]
                """.formatted(sql);
        String dump = resource("rehearse/dump.sql").toString();

        CliRun run = rehearse(config(null, migrator), "v2", "--json", "--from-schema", dump);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        JsonObject report = new JsonObject(run.stdout().strip());
        assertThat(lock(step(report, "expand"), "public.accounts").getString("mode")).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(lock(step(report, "expand"), "public.accounts").getJsonArray("seenBy").getList()).contains("at statement end");
        assertThat(relations(step(report, "contract").getJsonArray("rewritten"))).contains("public.accounts (table)");
        assertThat(report.getString("lintNote")).contains("migrator.plan.expand");

        CliRun noUndo = rehearse(config(null, migrator.replaceAll("(?m)^  undoExpand:.*\\n", "")), "v2", "--from-schema", dump);
        assertThat(noUndo.exitCode()).as(noUndo.stdout() + noUndo.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(noUndo.stdout()).containsPattern("undo-expand +failed").contains("migrator.undoExpand is not set");
    }

    // ---- the application and its config

    /** A database standing in for the application's, with the changelog of {@code version} applied. */
    private DatabaseInfo applicationAt(String version) throws Exception {
        DatabaseInfo app = TestDatabase.fresh();
        vertx = Vertx.vertx();
        await(new LiquibaseMigrator(vertx, app, LiquibaseSettings.defaults())
                .expand(new Migrator.Changes(version, changelog(version)), "before-" + version));
        return app;
    }

    /** A config whose database is {@code app}, or one that cannot be reached when null. */
    private Path config(DatabaseInfo app, String more) throws IOException, URISyntaxException {
        String database = app == null ? "  url: jdbc:postgresql://localhost:1/gone\n"
                : "  url: " + app.jdbcUrl() + "\n  user: " + app.user() + "\n"
                        + (app.passwordEnv() == null ? "" : "  passwordEnv: " + app.passwordEnv() + "\n");
        return Files.writeString(dir.resolve("switchman.yaml"), "application: shop\nstateDir: state\n"
                + "changelog: " + resource("rehearse") + "/{version}/accounts.sql\n"
                + "database:\n" + database
                + "platform:\n  command: [\"python3\", \"app.py\"]\n"
                + (more == null ? "" : more));
    }

    private CliRun rehearse(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("rehearse"));
        all.addAll(List.of(args));
        all.addAll(List.of("-c", config.toString()));
        List<String> was = leftovers();
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(leftovers()).as("the throwaway server's directory is deleted").containsExactlyInAnyOrderElementsOf(was);
        return run;
    }

    private static List<String> leftovers() {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("switchman-rehearse-")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String changelog(String version) throws URISyntaxException {
        return resource("rehearse/" + version + "/accounts.sql").toString();
    }

    private Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getClassLoader().getResource(name).toURI());
    }

    // ---- reading the report

    private static List<String> steps(JsonObject report) {
        return report.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("step")).toList();
    }

    private static JsonObject step(JsonObject report, String name) {
        return report.getJsonArray("steps").stream().map(s -> (JsonObject) s)
                .filter(s -> s.getString("step").equals(name)).findFirst().orElseThrow();
    }

    private static JsonObject lock(JsonObject step, String relation) {
        return step.getJsonArray("locks").stream().map(l -> (JsonObject) l)
                .filter(l -> l.getString("relation").equals(relation)).findFirst()
                .orElseThrow(() -> new AssertionError("no lock on " + relation + " in " + step.encodePrettily()));
    }

    private static List<String> relations(JsonArray rewritten) {
        return rewritten.stream().map(r -> ((JsonObject) r).getString("relation") + " (" + ((JsonObject) r).getString("kind") + ")")
                .toList();
    }

    /** Every relation, column and index, every history row and the table's rows: what a rehearsal must not change. */
    private static List<String> snapshot(DatabaseInfo db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (String query : List.of(
                    "select n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relfilenode"
                            + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                            + " where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1",
                    "select table_name || '.' || column_name || ' ' || data_type from information_schema.columns"
                            + " where table_schema = 'public' order by 1",
                    "select h::text from databasechangelog h order by 1",
                    "select count(*) || ' ' || sum(balance) from accounts")) {
                try (ResultSet rs = st.executeQuery(query)) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }
}
