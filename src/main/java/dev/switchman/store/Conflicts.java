package dev.switchman.store;

/** The message for exit code 4: which release holds the application and what to do about it. */
public final class Conflicts {
    private Conflicts() {}

    public static String describe(String application, ReleaseRecord other) {
        if (other == null) {
            return "another release of " + application + " is in progress; wait for it to end";
        }
        String what = "release #" + other.id() + " of " + application + " (" + other.version() + ")";
        return switch (other.state()) {
            case ROLLBACK_FAILED -> what + " failed to roll back at gate " + other.gate() + " (" + other.reason()
                    + "); fix what it names, then run 'switchman rollback'";
            case ROLLING_BACK -> what + " was interrupted while rolling back; run 'switchman rollback'";
            default -> what + " was interrupted at gate " + other.gate() + "; run 'switchman rollback' to undo it";
        };
    }
}
