package dev.switchman.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.release.Outcome;
import dev.switchman.release.ProgressEvent;
import dev.switchman.support.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports that fail are warnings, said once each when the release is over; one that works replaces the file whole. */
class ReleaseTelemetryTest {

    @Test
    void failedExportsAreWarningsAfterTheRelease(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int closed = Ports.free();
        Path missing = dir.resolve("no-such-dir/switchman.prom");
        ReleaseTelemetry telemetry = new ReleaseTelemetry(new ReleaseMetrics("shop", "1.2.3"),
                new Pushgateway("http://127.0.0.1:" + closed, "shop", Duration.ofSeconds(2)), new Textfile(missing),
                Duration.ofSeconds(2), new PrintStream(err, true, StandardCharsets.UTF_8));
        telemetry.report(new ProgressEvent.StepStarted("lock", false));
        telemetry.ended(new Outcome(ExitCode.RELEASED, ReleaseState.RELEASED, 1L, "v2", null, null, List.of()));
        telemetry.close();

        String warnings = err.toString(StandardCharsets.UTF_8);
        assertThat(warnings.lines()).containsExactly(
                "switchman: warning: metrics: could not push to http://127.0.0.1:" + closed
                        + "/metrics/job/switchman/application/shop: cannot connect (nothing listens there, or it cannot be"
                        + " reached) (the release's outcome stands)",
                "switchman: warning: metrics: could not write " + missing + ": its directory does not exist (the"
                        + " release's outcome stands)");
    }

    @Test
    void theTextfileIsReplacedWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.prom");
        Files.writeString(file, "switchman_old 1\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReleaseTelemetry telemetry = new ReleaseTelemetry(new ReleaseMetrics("shop", "1.2.3"), null, new Textfile(file),
                Duration.ofSeconds(2), new PrintStream(err, true, StandardCharsets.UTF_8));
        telemetry.ended(Outcome.conflict("v2", "held"));
        telemetry.close();

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("switchman_old")
                .contains("switchman_releases_total{application=\"shop\",outcome=\"conflict\"} 1.0");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("switchman.prom");
        }
    }

    @Test
    void nothingRecordedExportsNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.prom");
        Files.writeString(file, "switchman_releases_total{application=\"shop\",outcome=\"rolled_back\"} 1.0\n");
        ReleaseTelemetry refused = new ReleaseTelemetry(new ReleaseMetrics("shop", "1.2.3"), null, new Textfile(file),
                Duration.ofSeconds(2), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        refused.close(); // a rollback refused before anything: nothing to roll back

        assertThat(Files.readString(file)).as("the last rollback's export stands")
                .isEqualTo("switchman_releases_total{application=\"shop\",outcome=\"rolled_back\"} 1.0\n");
    }
}
