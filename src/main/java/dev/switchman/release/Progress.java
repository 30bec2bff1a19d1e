package dev.switchman.release;

import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Human progress of a release, one line per gate step, on stderr (stdout is kept for {@code --json}). */
public interface Progress {

    void line(String text);

    /** Returns once every line given so far is printed. */
    default void flush() {}

    /**
     * Lines printed in order by a thread of their own: gates report from event-loop callbacks, and a slow
     * stderr (a CI runner's log pipe) must never hold up an event loop.
     */
    static Progress to(PrintStream out) {
        ExecutorService printer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "switchman-progress");
            thread.setDaemon(true);
            return thread;
        });
        return new Progress() {
            @Override
            public void line(String text) {
                printer.execute(() -> {
                    out.println(text);
                    out.flush();
                });
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
        };
    }
}
