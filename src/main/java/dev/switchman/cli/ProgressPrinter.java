package dev.switchman.cli;

import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A release's progress as lines in columns on stderr (stdout is kept for {@code --json}). Lines are printed in
 * order by a thread of their own: the engine reports from event-loop callbacks, and a slow stderr (a CI runner's
 * log pipe) must never hold up an event loop.
 */
final class ProgressPrinter implements Progress {
    private static final Logger PROGRESS_LOG = LoggerFactory.getLogger(LogFormat.PROGRESS);
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
        if (LogFormat.json()) {
            logged(event);
            return;
        }
        String line = format(event);
        if (line == null) {
            return;
        }
        printer.execute(() -> {
            out.println(line);
            out.flush();
        });
    }

    /** A line of a command's own (a CI service's markup), in order with the progress lines. */
    void line(String line) {
        printer.execute(() -> {
            out.println(line);
            out.flush();
        });
    }

    /** The event as a log event with its parts as key-value pairs, for {@code --log-format json}. */
    private static void logged(ProgressEvent event) {
        var log = PROGRESS_LOG.atInfo();
        switch (event) {
            case ProgressEvent.StepStarted started -> log.addKeyValue("gate", started.gate())
                    .addKeyValue("step", started.undo() ? "undo" : "run").addKeyValue("result", "started");
            case ProgressEvent.StepEnded ended -> log.addKeyValue("gate", ended.step().gate())
                    .addKeyValue("step", ended.step().action()).addKeyValue("result", ended.step().result().id())
                    .addKeyValue("ms", ended.step().millis()).addKeyValue("detail", ended.step().detail());
            case ProgressEvent.Note note -> {
                if (note.gate() != null) {
                    log.addKeyValue("gate", note.gate());
                }
            }
            case ProgressEvent.LockRetried retried -> log.addKeyValue("gate", retried.step().gate()).addKeyValue("step", retried.step().label);
            default -> {
                return; // a figure for the metrics, with no line
            }
        }
        String line = event instanceof ProgressEvent.Note note ? note.text() : format(event);
        if (line != null) {
            log.log(line.strip());
        }
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
            case ProgressEvent.LockRetried retried -> String.format("  %-4s %-13s %s", "", retried.step().gate(),
                    retried.step().label + ": a statement waited longer than migrator.lockTimeout for a lock; running it again");
            case ProgressEvent.Migrated migrated -> null;
            case ProgressEvent.LeftForAPerson left -> null;
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
