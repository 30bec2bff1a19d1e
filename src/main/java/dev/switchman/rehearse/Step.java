package dev.switchman.rehearse;

import dev.switchman.lint.Finding;
import java.util.List;

/**
 * One step of a rehearsal, as it went: its result and time, what the migrator said, the change it failed at (when
 * it can be told), the changes it ran, what it was seen to do to the database, the lint's findings for the same
 * changes, and what the rehearsal found wrong with it (an undo that leaves something behind).
 */
public record Step(String name, Result result, long durationMs, String detail, String change, List<String> changes,
                   Observation observed, List<Finding> lint, List<String> findings) {

    public enum Result {
        PASSED("passed"), FAILED("failed"), NOT_RUN("not run");

        public final String word;

        Result(String word) {
            this.word = word;
        }
    }

    static Step notRun(String name, String why) {
        return new Step(name, Result.NOT_RUN, 0, why, null, List.of(), Observation.none(), List.of(), List.of());
    }

    public boolean passed() {
        return result == Result.PASSED;
    }
}
