package dev.switchman.util;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool's command to its end, blocking (call it from a worker): in its working directory, with exactly the
 * environment given, stdin closed, stopped (with whatever it started) when it runs past the timeout or is asked to
 * stop. What it prints is appended to a log with the password masked, so neither the log nor a gate's reason can
 * show it.
 */
public final class ToolRunner {
    private static final String MASK = "********";
    /** What is kept of each output stream: its end. A tool that prints a dump instead of writing it stays bounded. */
    static final int KEPT_BYTES = 1 << 20;

    private final Path workingDir;
    private final Path logFile;
    private final Duration timeout;
    private final String secret;
    private final Clock clock;

    /** @param secret the database password, masked wherever the tool's output goes (null or empty: none) */
    public ToolRunner(Path workingDir, Path logFile, Duration timeout, String secret, Clock clock) {
        this.workingDir = workingDir;
        this.logFile = logFile;
        this.timeout = timeout;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.clock = clock;
    }

    public Path logFile() {
        return logFile;
    }

    /** Runs {@code command}; {@code step} names it in the log. */
    public ToolRun run(String step, List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(step, command, env, new CompletableFuture<>());
    }

    /** Like {@link #run(String, List, Map)}; when {@code stop} completes first, the command is stopped at once. */
    public ToolRun run(String step, List<String> command, Map<String, String> env, CompletionStage<?> stop)
            throws IOException, InterruptedException {
        Files.createDirectories(logFile.getParent());
        Path out = Files.createTempFile(logFile.getParent(), "tool-", ".out");
        Path err = Files.createTempFile(logFile.getParent(), "tool-", ".err");
        long start = System.nanoTime();
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException("cannot start " + command.getFirst() + " in " + workingDir + ": " + e.getMessage(), e);
            }
            stop.thenRun(() -> kill(process));
            int code;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = process.exitValue();
            } else {
                kill(process);
                process.waitFor(5, TimeUnit.SECONDS);
                code = -1;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            ToolRun run = new ToolRun(command.stream().map(this::mask).toList(), code, mask(read(out)), mask(read(err)), millis);
            log(step, run, code == -1 ? "stopped at its timeout" : stop.toCompletableFuture().isDone() ? "stopped, as asked"
                    : "exit " + code);
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Stops the command and whatever it started: the command first, so that it cannot go on (a shell to its next
     * line) when a child it waits for dies; its children are found before, while they are still its own.
     */
    private static void kill(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private void log(String step, ToolRun run, String end) throws IOException {
        StringBuilder entry = new StringBuilder("---- ").append(clock.instant()).append(' ').append(step).append(": ")
                .append(run.shown()).append('\n');
        if (!run.stdout().isEmpty()) {
            entry.append(run.stdout()).append(run.stdout().endsWith("\n") ? "" : "\n");
        }
        if (!run.stderr().isEmpty()) {
            entry.append(run.stderr()).append(run.stderr().endsWith("\n") ? "" : "\n");
        }
        entry.append("---- ").append(end).append(" in ").append(run.millis()).append(" ms\n");
        Files.writeString(logFile, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String mask(String text) {
        return secret == null ? text : text.replace(secret, MASK);
    }

    /** The file's text, or its last {@link #KEPT_BYTES} bytes after a line saying how much was left out. */
    private static String read(Path file) throws IOException {
        long size = Files.size(file);
        if (size <= KEPT_BYTES) {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        }
        byte[] end = new byte[KEPT_BYTES];
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.position(size - KEPT_BYTES);
            ByteBuffer buffer = ByteBuffer.wrap(end);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads to the end
            }
        }
        return "[" + (size - KEPT_BYTES) + " bytes left out]\n" + new String(end, StandardCharsets.UTF_8);
    }
}
