package dev.switchman.store;

import java.time.Instant;
import java.util.Locale;

/** One line of a release's event log. */
public record Event(long releaseId, String gate, Kind kind, Instant at, Long durationMs, String detail) {

    public Event {
        gate = GateNames.current(gate);
    }

    /** What happened to a gate's step: the one vocabulary of the event log, the summary and the progress lines. */
    public enum Kind {
        STARTED, PASSED, FAILED, UNDO_STARTED, UNDONE, UNDO_FAILED;

        /** Whether the step undoes its gate (as opposed to running it). */
        public boolean undo() {
            return this == UNDO_STARTED || this == UNDONE || this == UNDO_FAILED;
        }

        /** Whether the step ended well: passed, or undone. */
        public boolean succeeded() {
            return this == PASSED || this == UNDONE;
        }

        /** The step's end: passed or failed for a run, undone or undo failed for an undo. */
        public static Kind ended(boolean undo, boolean succeeded) {
            return undo ? (succeeded ? UNDONE : UNDO_FAILED) : (succeeded ? PASSED : FAILED);
        }

        /** As written in {@code --json} and progress lines: {@code passed}, {@code undo-failed}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
