package dev.switchman.release;

/**
 * Where a release reports what it does, as structured events: the CLI formats them as lines, a server may stream
 * them. Reports come from event-loop callbacks, so an implementation must never block.
 */
@FunctionalInterface
public interface Progress {

    void report(ProgressEvent event);

    /** Returns once every event reported so far has been handled. */
    default void flush() {}

    /** Reports nothing. */
    Progress NONE = event -> { };
}
