package dev.switchman.cli;

import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A release's progress as lines in columns on stderr (stdout is kept for {@code --json}). Lines are printed in
 * order by a thread of their own: the engine reports from event-loop callbacks, and a slow stderr (a CI runner's
 * log pipe) must never hold up an event loop.
 */
final class ProgressPrinter implements Progress {
    private final PrintStream out;
    private final ExecutorService printer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "switchman-progress");
        thread.setDaemon(true);
        return thread;
    });

    ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void report(ProgressEvent event) {
        String line = format(event);
        if (line == null) {
            return;
        }
        printer.execute(() -> {
            out.println(line);
            out.flush();
        });
    }

    /** The event's line, or null for a figure that has none (the metrics take those). */
    static String format(ProgressEvent event) {
        return switch (event) {
            case ProgressEvent.StepStarted started -> String.format("  %-4s %-13s ...", started.undo() ? "undo" : "", started.gate());
            case ProgressEvent.StepEnded ended -> {
                Outcome.Step step = ended.step();
                yield String.format("  %-4s %-13s %-11s %6d ms  %s", step.result().undo() ? "undo" : "", step.gate(),
                        step.result().id(), step.millis(), step.detail());
            }
            case ProgressEvent.Note note -> note.gate() == null ? note.text()
                    : String.format("  %-4s %-13s %s", "", note.gate(), note.text());
            case ProgressEvent.TrafficSet set -> null;
            case ProgressEvent.TrafficBack back -> null;
            case ProgressEvent.Linted linted -> null;
        };
    }

    @Override
    public void flush() {
        try {
            printer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Printing failed: nothing left to wait for.
        }
    }
}
