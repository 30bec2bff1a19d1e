package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.lint.LintReport;
import dev.switchman.lint.Linter;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The changes docs/expand-contract.md teaches, as written there: each passes the lint with no finding, and is
 * rehearsed on a real database from its "base" (the schema before it): expand, undo of expand back to exactly that
 * schema, expand again, contract.
 */
class ExpandContractGuideTest {
    private static final Path GUIDE = Path.of("docs/expand-contract");
    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rename-column.sql", "change-type.sql", "add-not-null.sql", "add-foreign-key.sql",
            "add-unique.sql", "split-table.sql", "build-index.sql"})
    void eachChangeIsLintCleanAndRehearsesFromItsBase(String name) throws Exception {
        Path changelog = GUIDE.resolve(name);
        DatabaseInfo db = TestDatabase.fresh();
        Migrator migrator = new LiquibaseMigrator(vertx, db, LiquibaseSettings.defaults());
        Migrator.Changes all = new Migrator.Changes("v2", changelog.toAbsolutePath().toString());

        LintReport lint = new Linter(List.of()).lint(await(migrator.planned(all, false)));
        assertThat(lint.findings()).as(lint.text()).isEmpty();

        // The schema before the change: the base changeset alone, from a file of the same name.
        Migrator.Changes history = new Migrator.Changes("v1", base(changelog).toString());
        await(migrator.check(history));
        await(migrator.expand(history, "v1"));
        List<String> before = Schemas.snapshot(db, "no_history_table");

        await(migrator.check(all));
        await(migrator.expand(all, "before-v2"));
        await(migrator.undoExpand(all, "before-v2"));
        assertThat(Schemas.snapshot(db, "no_history_table")).as("undone back to the base schema").isEqualTo(before);
        await(migrator.expand(all, "before-v2-again"));
        await(migrator.contract(all));
        assertThat(await(migrator.planned(all, true))).as("every change applied").isEmpty();
    }

    /** The changelog's header and first ("base") changeset, in a file of the same name, as the version before wrote it. */
    private Path base(Path changelog) throws IOException {
        String text = Files.readString(changelog);
        int first = text.indexOf("--changeset guide:base");
        int second = text.indexOf("--changeset", first + 1);
        Path file = Files.createDirectories(dir.resolve("v1")).resolve(changelog.getFileName());
        return Files.writeString(file, text.substring(0, second < 0 ? text.length() : second));
    }
}
