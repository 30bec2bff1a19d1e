package dev.switchman.telemetry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool} (in the {@code prometheus} package, which {@code .ci/run} installs), run on files or stdin. */
final class Promtool {

    record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Skips the test, naming what is missing, on a machine without promtool. */
    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"));
        }
        assumeTrue(found, "promtool is not installed (Debian: apt-get install prometheus)");
    }

    /** {@code promtool <args>} in {@code dir}, with {@code stdin} (or nothing) as its input. */
    static Result run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not end within 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
