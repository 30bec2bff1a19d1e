package dev.switchman.release;

import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import java.util.List;

/** How a release (or a rollback) ended, for the exit code and the {@code --json} summary. */
public record Outcome(int exitCode, ReleaseState state, Long releaseId, String gate, String reason, List<Step> steps) {

    /** One gate's run or undo, with its timing. */
    public record Step(String gate, String action, String result, long millis, String detail) {}

    public static Outcome conflict(String reason) {
        return new Outcome(ExitCode.CONFLICT, null, null, "lock", reason, List.of());
    }
}
