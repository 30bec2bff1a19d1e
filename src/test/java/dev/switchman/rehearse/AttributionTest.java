package dev.switchman.rehearse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.migration.Migrator.Phase;
import dev.switchman.migration.PlannedChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Naming the change an undo's leftover or a check's message belongs to, and what a lock mode blocks. */
class AttributionTest {

    @Test
    void theObjectOfASnapshotLineIsTheLastPartOfItsName() {
        assertThat(Attribution.objectName("column public.accounts.nickname text")).isEqualTo("nickname");
        assertThat(Attribution.objectName("index public.accounts_note CREATE INDEX accounts_note ON public.accounts")).isEqualTo("accounts_note");
        assertThat(Attribution.objectName("view definition public.v_accounts (3f2a9c1e)")).isEqualTo("v_accounts");
        assertThat(Attribution.objectName("function public.sync_title() (body 0a1b2c3d)")).isEqualTo("sync_title");
    }

    @Test
    void aLeftoverIsNamedInTheExpandChangesWhoseSqlNamesIt() {
        Attribution attribution = new Attribution(List.of(
                change("r1", Phase.EXPAND, "alter table accounts add column note text"),
                change("r2", Phase.EXPAND, "alter table accounts add column \"nickname\" text"),
                change("c1", Phase.CONTRACT, "alter table accounts drop column nickname")), null);

        assertThat(attribution.namedIn("column public.accounts.nickname text", List.of("r1 (test)", "r2 (test)")))
                .containsExactly("r2 (test)");
        assertThat(attribution.namedIn("column public.accounts.nick text", List.of())).as("whole words only").isEmpty();
    }

    @Test
    void aCheckMessageNamesItsChangeset() {
        assertThat(Attribution.changeIn("changelog x.sql: expand changeset accounts.sql::r1-add-note::test has no rollback"))
                .isEqualTo("r1-add-note (test)");
        assertThat(Attribution.changeIn("no changelog for version v7")).isNull();
    }

    @Test
    void whatEachLockModeBlocks() {
        assertThat(LockMode.of("AccessExclusiveLock").blocks()).isEqualTo("blocks reads and writes");
        assertThat(LockMode.of("ShareLock").blocks()).isEqualTo("blocks writes");
        assertThat(LockMode.of("ShareUpdateExclusiveLock").blocks()).isEqualTo("blocks neither reads nor writes");
        assertThat(LockMode.of("SIReadLock")).isNull();
    }

    private static PlannedChange change(String id, Phase phase, String sql) {
        return new PlannedChange("accounts.sql", 1, id, "test", phase, sql, true, sql, true);
    }
}
