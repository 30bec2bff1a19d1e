package dev.switchman.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a {@code switchman:pause} mark is read from a change's source, and what is refused. */
class PauseMarksTest {

    @Test
    void noMarkAsksForNoPause() {
        assertThat(PauseMarks.of(List.of(change(Migrator.Phase.CONTRACT, "alter table t drop column c;"))).none()).isTrue();
    }

    @Test
    void aMarkWithoutABoundHoldsForTheDefaultAndMarksAddUp() {
        PauseMarks.Pause pause = PauseMarks.of(List.of(
                change(Migrator.Phase.CONTRACT, "-- switchman:pause\nalter table t drop column c;"),
                change(Migrator.Phase.CONTRACT, "<!-- switchman:pause 1500ms -->"),
                change(Migrator.Phase.CONTRACT, "/* switchman:pause 2s*/"),
                change(Migrator.Phase.CONTRACT, "select 1;")));

        assertThat(pause.bound()).isEqualTo(Duration.ofMillis(5000 + 1500 + 2000));
        assertThat(pause.marked()).hasSize(3);
        assertThat(pause.where()).isEqualTo("db.sql:7 (c1), db.sql:7 (c2), db.sql:7 (c3)");
    }

    @Test
    void aBoundThatIsNoDurationIsRefusedNamingTheChange() {
        assertThatThrownBy(() -> PauseMarks.of(List.of(change(Migrator.Phase.CONTRACT, "-- switchman:pause soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.sql:7 (c1): switchman:pause 'soon' is not a duration");
    }

    @Test
    void aMarkOnAnExpandChangeIsRefused() {
        assertThatThrownBy(() -> PauseMarks.of(List.of(change(Migrator.Phase.EXPAND, "-- switchman:pause 1s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.sql:7 (c1): switchman:pause marks an expand change");
    }

    @Test
    void marksOverThirtySecondsInAllAreRefused() {
        assertThatThrownBy(() -> PauseMarks.of(List.of(change(Migrator.Phase.CONTRACT, "-- switchman:pause 20s"),
                change(Migrator.Phase.CONTRACT, "-- switchman:pause 11s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("31s in all, more than 30s");
    }

    @Test
    void aWordThatOnlyStartsLikeTheMarkIsNoMark() {
        assertThat(PauseMarks.of(List.of(change(Migrator.Phase.EXPAND, "-- switchman:paused by hand"))).none()).isTrue();
    }

    private int next;

    private PlannedChange change(Migrator.Phase phase, String source) {
        return new PlannedChange("db.sql", 7, "c" + ++next, "t", phase, source, true, source, true);
    }
}
