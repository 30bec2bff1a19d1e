package dev.switchman.release;

/** What a release reports while it runs. */
public sealed interface ProgressEvent {

    /** A gate's run or undo begins. */
    record StepStarted(String gate, boolean undo) implements ProgressEvent {}

    /** A gate's run or undo ended. */
    record StepEnded(Outcome.Step step) implements ProgressEvent {}

    /** A line of the release's own, or of a gate while it works ({@code gate} null for the release's). */
    record Note(String gate, String text) implements ProgressEvent {}
}
