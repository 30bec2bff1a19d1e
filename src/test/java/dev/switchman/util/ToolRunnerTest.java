package dev.switchman.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool's command run to its end, past its timeout, or until asked to stop; the password never in what it kept. */
class ToolRunnerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "PGPASSWORD", "s3cret-pw");

    @TempDir
    Path dir;

    @Test
    void theOutputIsKeptAndLoggedWithThePasswordMasked() throws Exception {
        ToolRunner runner = new ToolRunner(dir, dir.resolve("logs/tool.log"), Duration.ofSeconds(10), "s3cret-pw", Clock.systemUTC());
        ToolRun run = runner.run("check", List.of("sh", "-c", "echo \"connecting with $PGPASSWORD\"; echo oops >&2; exit 3"), ENV);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.ok()).isFalse();
        assertThat(run.stdout()).isEqualTo("connecting with ********\n");
        assertThat(run.tail(5)).isEqualTo("oops");
        String log = Files.readString(runner.logFile());
        assertThat(log).contains("check: sh -c").contains("connecting with ********").contains("exit 3 in ")
                .doesNotContain("s3cret-pw");
        try (Stream<Path> left = Files.list(dir.resolve("logs"))) {
            assertThat(left.toList()).as("no temporary files left").containsExactly(runner.logFile());
        }
    }

    @Test
    void aCommandPastItsTimeoutIsStopped() throws Exception {
        ToolRunner runner = new ToolRunner(dir, dir.resolve("tool.log"), Duration.ofMillis(300), null, Clock.systemUTC());
        ToolRun run = runner.run("slow", List.of("sleep", "30"), ENV);

        assertThat(run.timedOut()).isTrue();
        assertThat(run.millis()).isLessThan(10_000);
        assertThat(Files.readString(runner.logFile())).contains("stopped at its timeout");
    }

    @Test
    void aCommandIsStoppedWhenAsked() throws Exception {
        ToolRunner runner = new ToolRunner(dir, dir.resolve("tool.log"), Duration.ofMinutes(5), null, Clock.systemUTC());
        CompletableFuture<Void> stop = new CompletableFuture<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ToolRun> running = executor.submit(
                    () -> runner.run("long", List.of("sh", "-c", "touch started; sleep 30; echo never"), ENV, stop));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("started")));
            stop.complete(null);

            ToolRun run = running.get(10, TimeUnit.SECONDS);
            assertThat(run.ok()).isFalse();
            assertThat(run.millis()).isLessThan(10_000);
            assertThat(run.stdout()).doesNotContain("never");
            assertThat(Files.readString(runner.logFile())).contains("stopped, as asked");
        }
    }
}
