package dev.switchman.lint;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.PlannedChange;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corpus under src/test/resources/lint, in every changelog form Liquibase reads: each unsafe changeset is
 * flagged with exactly the rule its id names (a "-2" suffix for a second example), and no safe one is flagged
 * (the tricky ones: CONCURRENTLY outside a transaction, NOT VALID then VALIDATE, a check validated before SET NOT
 * NULL, a drop in contract, a comment that mentions DROP COLUMN) unless a note accepts it with a reason.
 */
class LintCorpusTest {
    /** Never connected: the lint reads a Liquibase changelog with no database. */
    private static final DatabaseInfo NO_DATABASE = new DatabaseInfo("localhost", 1, "none", "none", null);
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsafe.sql", "unsafe.xml", "unsafe.yaml", "unsafe.json"})
    void eachUnsafeChangesetIsFlaggedWithTheRuleItsIdNames(String file) {
        List<PlannedChange> changes = planned(file);
        LintReport report = new Linter(List.of()).lint(changes);

        Map<String, Set<String>> expected = new LinkedHashMap<>();
        Map<String, Set<String>> found = new LinkedHashMap<>();
        for (PlannedChange change : changes) {
            expected.put(change.id(), change.id().equals("base") ? Set.of() : Set.of(change.id().replaceFirst("-\\d+$", "")));
            found.put(change.id(), new TreeSet<>());
        }
        report.findings().forEach(f -> found.get(f.change()).add(f.rule().id()));
        assertThat(found).as(report.text()).isEqualTo(expected);
        assertThat(report.findings()).as("each finding points at its changeset's line")
                .allSatisfy(f -> assertThat(f.line()).isPositive());
        assertThat(report.passes()).isFalse();
    }

    @Test
    void theFormattedSqlCorpusCoversEveryRule() {
        Set<Rule> covered = EnumSet.noneOf(Rule.class);
        new Linter(List.of()).lint(planned("unsafe.sql")).findings().forEach(f -> covered.add(f.rule()));
        assertThat(covered).containsExactlyInAnyOrder(Rule.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"safe.sql", "safe.xml"})
    void noSafeChangesetIsFlagged(String file) {
        LintReport report = new Linter(List.of()).lint(planned(file));

        assertThat(report.unaccepted()).as(report.text()).isEmpty();
        assertThat(report.problems()).isEmpty();
        assertThat(report.findings()).as("only the one a note accepts").hasSize(1)
                .allSatisfy(f -> assertThat(f.accepted()).isNotBlank());
        assertThat(report.passes()).isTrue();
    }

    @Test
    void aFindingNamesTheLineTheChangesetAndItsAuthor() {
        LintReport report = new Linter(List.of()).lint(planned("unsafe.sql"));
        Finding drop = report.findings().stream().filter(f -> f.rule() == Rule.DROP_COLUMN).findFirst().orElseThrow();

        assertThat(drop.file()).endsWith("lint/unsafe.sql");
        assertThat(drop.line()).isEqualTo(14);
        assertThat(drop.change()).isEqualTo("drop-column");
        assertThat(drop.author()).isEqualTo("corpus");
        assertThat(drop.phase()).isEqualTo(Migrator.Phase.EXPAND);
        assertThat(drop.detail()).contains("users.name").contains("alter table users drop column name");
        assertThat(report.text()).contains("[drop-column]").contains("safe way: stop using the column");
    }

    @Test
    void aFindingIsAcceptedFromTheConfigAndANoteWithoutAReasonAcceptsNothing() {
        List<PlannedChange> changes = planned("unsafe.json");
        LintReport accepted = new Linter(List.of(new Linter.Accept("truncate", "truncate", "users is emptied on purpose"),
                new Linter.Accept("drop-column", "drop-column", "email was never read"),
                new Linter.Accept("unique-without-index", "unique-without-index", "the table has 12 rows"))).lint(changes);
        assertThat(accepted.passes()).as(accepted.text()).isTrue();

        List<PlannedChange> withBadNote = new ArrayList<>(changes);
        PlannedChange last = withBadNote.removeLast();
        withBadNote.add(new PlannedChange(last.file(), last.line(), last.id(), last.author(), last.phase(), last.sql(),
                last.inTransaction(), "-- switchman:accept truncate\n-- switchman:accept no-such-rule because", false));
        LintReport noReason = new Linter(List.of()).lint(withBadNote);
        assertThat(noReason.problems()).hasSize(2);
        assertThat(noReason.problems().get(0)).contains("gives no reason");
        assertThat(noReason.problems().get(1)).contains("names no rule 'no-such-rule'");
        assertThat(noReason.unaccepted()).extracting(f -> f.rule().id()).contains("truncate");
    }

    @Test
    void githubAnnotationsPointAtTheLine() {
        String annotations = new Linter(List.of()).lint(planned("unsafe.sql")).github();
        assertThat(annotations.lines()).allMatch(l -> l.startsWith("::error file="));
        assertThat(annotations).containsPattern("::error file=[^,]*unsafe.sql,line=14,title=switchman lint%3A drop-column::");
    }

    private static List<PlannedChange> planned(String file) {
        Migrator migrator = new LiquibaseMigrator(vertx, NO_DATABASE, LiquibaseSettings.defaults());
        return await(migrator.planned(new Migrator.Changes("v1", "classpath:lint/" + file), false));
    }
}
