package dev.switchman.release;

import dev.switchman.lint.LintReport;
import dev.switchman.migration.Migrator;
import dev.switchman.traffic.TrafficTarget;
import java.time.Duration;

/** What a release reports while it runs. */
public sealed interface ProgressEvent {

    /** A gate's run or undo begins. */
    record StepStarted(String gate, boolean undo) implements ProgressEvent {}

    /** A gate's run or undo ended. */
    record StepEnded(Outcome.Step step) implements ProgressEvent {}

    /** A line of the release's own, or of a gate while it works ({@code gate} null for the release's). */
    record Note(String gate, String text) implements ProgressEvent {}

    /** The router took this target: a figure for the metrics, not a line. */
    record TrafficSet(TrafficTarget target) implements ProgressEvent {}

    /** All traffic is back on the live colour, {@code span} after the analysis first judged the new version failing. */
    record TrafficBack(Duration span) implements ProgressEvent {}

    /** A migration step ended, passed or not, after {@code took}: a figure for the metrics. */
    record Migrated(Migrator.Step step, boolean passed, Duration took) implements ProgressEvent {}

    /** A migration step is run again: a statement waited longer than {@code migrator.lockTimeout} for a lock. */
    record LockRetried(Migrator.Step step) implements ProgressEvent {}

    /**
     * The release found release {@code releaseId} of the application left to a person (interrupted, or its rollback
     * failed) and does not begin: a figure for the metrics.
     */
    record LeftForAPerson(long releaseId) implements ProgressEvent {}

    /** The lint's verdict on the release's changes, before anything is touched: a figure for the metrics. */
    record Linted(LintReport report) implements ProgressEvent {}
}
