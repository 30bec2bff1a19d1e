package dev.switchman.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The states of a release and the transitions allowed between them, as one explicit table. */
public enum ReleaseState {
    /** Gates are running (or the coordinator died while they were: the release is then "interrupted"). */
    RUNNING,
    /** Undoing the gates already passed. */
    ROLLING_BACK,
    /** Every gate passed: the new version is live. */
    RELEASED,
    /** A gate failed and every passed gate was undone: the system is as it was. */
    ROLLED_BACK,
    /** An undo step failed: a person must act. */
    ROLLBACK_FAILED,
    /**
     * A step at or after the point of no return (contract) failed: the new version is live and nothing was undone;
     * a person must act ({@code switchman rollback} finishes the release).
     */
    FAILED_PAST_CONTRACT;

    private static final Map<ReleaseState, Set<ReleaseState>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(ROLLING_BACK, RELEASED, FAILED_PAST_CONTRACT),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, ROLLBACK_FAILED),
            ROLLBACK_FAILED, EnumSet.of(ROLLING_BACK),
            RELEASED, EnumSet.noneOf(ReleaseState.class),
            ROLLED_BACK, EnumSet.noneOf(ReleaseState.class),
            FAILED_PAST_CONTRACT, EnumSet.noneOf(ReleaseState.class));

    /** The state named {@code name}, also as older versions of Switchman stored it. */
    public static ReleaseState of(String name) {
        return name.equals("FAILED") ? FAILED_PAST_CONTRACT : valueOf(name);
    }

    public boolean canMoveTo(ReleaseState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Whether the release still holds its application (the next release must wait or roll it back). */
    public boolean unfinished() {
        return this == RUNNING || this == ROLLING_BACK || this == ROLLBACK_FAILED;
    }

    /** The exit code a command reports for a release that ended in this state (DESIGN.md section 3). */
    public int exitCode() {
        return switch (this) {
            case RELEASED -> ExitCode.RELEASED;
            case ROLLED_BACK -> ExitCode.ROLLED_BACK;
            case ROLLBACK_FAILED, FAILED_PAST_CONTRACT, RUNNING, ROLLING_BACK -> ExitCode.ACT_NOW;
        };
    }
}
