package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as a new user runs it: the embedded database, the router, v1, v2 under keep-alive GET and
 * POST traffic through the router (with zero failed requests), and a broken v3 rolled back at check-new.
 */
class DemoCommandTest {

    @Test
    void theDemoReleasesUnderTrafficWithoutAFailedRequest(@TempDir Path dir) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("demo", "--dir", dir.resolve("demo").toString(), "--json");
        } finally {
            System.setOut(out);
        }
        String stdout = captured.toString(StandardCharsets.UTF_8).trim();
        JsonObject summary = new JsonObject(stdout.substring(stdout.lastIndexOf("\n{") + 1));
        assertThat(summary.getString("v1")).isEqualTo("RELEASED");
        assertThat(summary.getString("v2")).isEqualTo("RELEASED");
        assertThat(summary.getLong("requests")).isGreaterThan(100);
        assertThat(summary.getLong("failedRequests")).isZero();
        assertThat(summary.getString("v3")).isEqualTo("ROLLED_BACK");
        assertThat(summary.getString("v3Gate")).isEqualTo("check-new");
        assertThat(code).isZero();
    }
}
