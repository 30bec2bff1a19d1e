package dev.switchman.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a started process's standard output line by line, so a test can wait for its start line with a bound. */
final class ProcessLines {
    private ProcessLines() {}

    /** The first line the process prints, or null when none came within {@code bound}. */
    static String first(Process process, Duration bound) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        return lines.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    }
}
