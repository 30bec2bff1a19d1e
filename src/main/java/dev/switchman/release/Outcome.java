package dev.switchman.release;

import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.Event;
import java.util.List;

/**
 * How a release (or a rollback) ended, for the exit code and the {@code --json} summary. {@code state} is null when
 * the release never began (another one holds the application, or a gate before the release row failed).
 */
public record Outcome(int exitCode, ReleaseState state, Long releaseId, String version, String gate, String reason,
                      List<Step> steps) {

    /** One gate's run or undo, with its timing: {@code result} is how the step ended. */
    public record Step(String gate, Event.Kind result, long millis, String detail) {
        public String action() {
            return result.undo() ? "undo" : "run";
        }
    }

    public static Outcome conflict(String version, String reason) {
        return new Outcome(ExitCode.CONFLICT, null, null, version, "lock", reason, List.of());
    }
}
