package dev.switchman.util;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool's command to its end, blocking (call it from a worker): in its working directory, with exactly the
 * environment given, stdin closed, stopped (with whatever it started) when it runs past the timeout. What it
 * prints is appended to a log with the password masked, so neither the log nor a gate's reason can show it.
 */
public final class ToolRunner {
    private static final String MASK = "********";

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
        Files.createDirectories(logFile.getParent());
        Path out = Files.createTempFile(logFile.getParent(), "migrator-", ".out");
        Path err = Files.createTempFile(logFile.getParent(), "migrator-", ".err");
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
            int code;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                code = -1;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            ToolRun run = new ToolRun(command.stream().map(this::mask).toList(), code, mask(read(out)), mask(read(err)), millis);
            log(step, run, code == -1);
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private void log(String step, ToolRun run, boolean timedOut) throws IOException {
        StringBuilder entry = new StringBuilder("---- ").append(clock.instant()).append(' ').append(step).append(": ")
                .append(run.shown()).append('\n');
        if (!run.stdout().isEmpty()) {
            entry.append(run.stdout()).append(run.stdout().endsWith("\n") ? "" : "\n");
        }
        if (!run.stderr().isEmpty()) {
            entry.append(run.stderr()).append(run.stderr().endsWith("\n") ? "" : "\n");
        }
        entry.append("---- ").append(timedOut ? "stopped at its timeout" : "exit " + run.exitCode())
                .append(" in ").append(run.millis()).append(" ms\n");
        Files.writeString(logFile, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String mask(String text) {
        return secret == null ? text : text.replace(secret, MASK);
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
