package dev.switchman.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchman.model.ExitCode;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view in a real headless Chromium while a release waits for a promote: the page, run by the browser
 * against the real server, shows the application, what is live, the weights, the release in progress gate by gate
 * from its event stream, and the history; a screenshot of it is kept in target/live-view.png.
 */
class LiveViewTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void theLiveViewShowsTheReleaseInProgressGateByGate() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (apt-get install chromium): not on this machine");
        try (GreeterStack stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100))) {
            stack.startRouter();
            stack.changelog("v1", ApiServerTest.CHANGELOG);
            stack.changelog("v2", ApiServerTest.CHANGELOG);
            assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
            stack.strategy(ApiServerTest.MANUAL);
            try (Wiring wiring = Wiring.open(Kinds.loadConfig(stack.config))) {
                // On loopback without a token, as a person runs it on their own machine.
                ApiServer api = Futures.await(ApiServer.start(wiring, new ApiOptions("127.0.0.1", 0, Optional.empty()), Progress.NONE));
                try {
                    String base = "http://127.0.0.1:" + api.port();
                    HttpClient http = HttpClient.newHttpClient();
                    HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/releases"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"v2\"}")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        JsonObject status = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                        return status.getJsonObject("inProgress") != null && status.getJsonObject("inProgress").getString("awaiting") != null;
                    });

                    String dom = chromium(dir, base + "/", "--dump-dom");
                    assertThat(dom).contains("greeter").contains("blue runs v1");
                    assertThat(dom).containsPattern("#2 v2 RUNNING at gate shift");
                    assertThat(dom).containsPattern("<td>lock</td><td>run</td><td class=\"passed\">passed</td>");
                    assertThat(dom).containsPattern("<td>deploy-new</td><td>run</td><td class=\"passed\">passed</td>");
                    assertThat(dom).containsPattern("<td class=\"blue\">blue</td><td class=\"num\">100%</td>");
                    assertThat(dom).containsPattern("<td class=\"num\">1</td><td>v1</td><td class=\"RELEASED\">RELEASED</td>");
                    assertThat(dom).contains("waits to promote before").contains("(switchman promote)");

                    Path shot = Path.of("target", "live-view.png").toAbsolutePath();
                    Files.deleteIfExists(shot);
                    chromium(dir, base + "/", "--screenshot=" + shot, "--window-size=1100,1100");
                    assertThat(shot).isNotEmptyFile();
                    byte[] png = Files.readAllBytes(shot);
                    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

                    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/promote")).POST(HttpRequest.BodyPublishers.noBody())
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(60)).until(() -> stack.lastRelease().map(ReleaseRecord::state)
                            .map(s -> !s.unfinished()).orElse(false));
                } finally {
                    Futures.await(api.stop("the test ended"));
                }
            }
        }
    }

    /** Runs headless Chromium on {@code url}; its stdout. The page is given a few seconds of its own time to load and stream. */
    static String chromium(Path dir, String url, String... what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=4000",
                "--timeout=15000"));
        command.addAll(List.of(what));
        command.add(url);
        Process browser = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = browser.getInputStream().readAllBytes();
        assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("chromium ended").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
