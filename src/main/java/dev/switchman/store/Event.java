package dev.switchman.store;

import java.time.Instant;

/** One line of a release's event log. */
public record Event(long releaseId, String gate, Kind kind, Instant at, Long durationMs, String detail) {
    public enum Kind { STARTED, PASSED, FAILED, UNDO_STARTED, UNDONE, UNDO_FAILED }
}
