package dev.switchman.model;

/** The exit codes: Switchman's contract with CD pipelines (DESIGN.md section 3). */
public final class ExitCode {
    /** Released (or, for other commands, done). */
    public static final int RELEASED = 0;
    /** The release failed and was rolled back: the system is as it was. */
    public static final int ROLLED_BACK = 1;
    /** Bad input (config, changelog, arguments, an unreachable dependency): nothing was touched. */
    public static final int BAD_INPUT = 2;
    /** A rollback step failed, or a step after the point of no return: a person must act. */
    public static final int ACT_NOW = 3;
    /** Another release of this application is in progress, or an interrupted one awaits rollback. */
    public static final int CONFLICT = 4;

    private ExitCode() {}
}
