package dev.switchman.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.ExitCode;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchman serve}'s API over real HTTP, on a real stack: a release started, read and streamed to its end;
 * promote and abort of a release waiting for a person; requests without the token or with a wrong one refused;
 * bad input refused with the CLI's exit code; and two servers on one store racing to release: exactly one proceeds.
 */
class ApiServerTest {
    static final String TOKEN = "test-token-4f1c";
    static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset greeter:1 labels:expand
            create table greetings (id serial primary key, name text);
            --rollback drop table greetings;
            """;
    static final String MANUAL = """
            name: manual
            steps:
              - approve: {}
              - shift: 100
            bake: 0s
            analysis:
              interval: 200ms
              minRequests: 0
            """;

    @TempDir
    Path dir;
    GreeterStack stack;
    final List<Wiring> wirings = new ArrayList<>();
    final List<ApiServer> servers = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        for (String v : List.of("v1", "v2", "v3", "v4")) {
            stack.changelog(v, CHANGELOG);
        }
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ApiServer server : servers) {
            Futures.await(server.stop("the test ended"));
        }
        wirings.forEach(Wiring::close);
        stack.close();
    }

    @Test
    void aReleaseStartedOverHttpIsStreamedToItsEndAndReadBack() throws Exception {
        int port = serve();
        HttpResponse<String> started = post(port, "/api/releases", new JsonObject().put("version", "v2"), TOKEN);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonObject release = new JsonObject(started.body());
        long id = release.getLong("release");
        assertThat(release.getString("state")).isEqualTo("RUNNING");
        assertThat(started.headers().firstValue("Location")).contains("/api/releases/" + id);

        List<Sse> events = stream(port, id);
        assertThat(events).extracting(Sse::event).contains("step").last().isEqualTo("end");
        assertThat(events.getLast().data().getString("state")).isEqualTo("RELEASED");
        List<String> gates = events.stream().filter(e -> e.event().equals("step") && e.data().getString("kind").equals("PASSED"))
                .map(e -> e.data().getString("gate")).toList();
        assertThat(gates).containsSubsequence("lock", "expand", "deploy-new", "shift", "contract", "retire-live");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");

        JsonObject read = new JsonObject(get(port, "/api/releases/" + id, TOKEN).body());
        assertThat(read.getString("state")).isEqualTo("RELEASED");
        assertThat(read.getInteger("exitCode")).isEqualTo(ExitCode.RELEASED);
        assertThat(read.getJsonArray("events")).hasSizeGreaterThan(10);
        JsonArray list = new JsonObject(get(port, "/api/releases", TOKEN).body()).getJsonArray("releases");
        assertThat(list.stream().map(r -> ((JsonObject) r).getString("version")).toList()).containsExactly("v2", "v1");
        JsonObject status = new JsonObject(get(port, "/api/status", TOKEN).body());
        assertThat(status.getJsonObject("live").getString("version")).isEqualTo("v2");
        assertThat(status.getJsonObject("colours").getJsonObject("green").getInteger("weight")).isEqualTo(100);
        String metrics = get(port, "/metrics", null).body();
        assertThat(metrics).contains("switchman_releases_total{application=\"greeter\",outcome=\"released\"} 1.0")
                .contains("switchman_build_info");
        HttpResponse<String> health = get(port, "/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("up");
    }

    @Test
    void aWaitingReleaseIsPromotedAndAnotherAbortedOverHttp() throws Exception {
        stack.strategy(MANUAL);
        int port = serve();
        long promoted = new JsonObject(post(port, "/api/releases", new JsonObject().put("version", "v2"), TOKEN).body())
                .getLong("release");
        awaitWaiting(port);
        // A second release while this one runs: the server refuses it as the CLI's lock would (exit 4).
        HttpResponse<String> second = post(port, "/api/releases", new JsonObject().put("version", "v3"), TOKEN);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(new JsonObject(second.body()).getInteger("exitCode")).isEqualTo(ExitCode.CONFLICT);

        HttpResponse<String> promote = post(port, "/api/promote", new JsonObject(), TOKEN);
        assertThat(promote.statusCode()).as(promote.body()).isEqualTo(200);
        assertThat(stream(port, promoted).getLast().data().getString("state")).isEqualTo("RELEASED");

        long aborted = new JsonObject(post(port, "/api/releases", new JsonObject().put("version", "v3"), TOKEN).body())
                .getLong("release");
        awaitWaiting(port);
        HttpResponse<String> abort = post(port, "/api/abort", new JsonObject(), TOKEN);
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(202);
        JsonObject end = stream(port, aborted).getLast().data();
        assertThat(end.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(end.getString("reason")).contains(ApiServer.ABORT_REASON);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
        // Nothing waits now: a promote is bad input, as the CLI's.
        HttpResponse<String> nothing = post(port, "/api/promote", new JsonObject(), TOKEN);
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(nothing.body()).getInteger("exitCode")).isEqualTo(ExitCode.BAD_INPUT);
    }

    @Test
    void requestsWithoutTheTokenOrWithAWrongOneAreRefusedAndBadInputIsNamed() throws Exception {
        int port = serve();
        assertThat(get(port, "/api/releases", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/api/releases", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> refused = post(port, "/api/releases", new JsonObject().put("version", "v2"), "wrong");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("wrong\"").doesNotContain(TOKEN);
        assertThat(stack.lastRelease().orElseThrow().version()).as("nothing was released").isEqualTo("v1");

        HttpResponse<String> noVersion = post(port, "/api/releases", new JsonObject(), TOKEN);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noVersion.body()).getString("error")).contains("\"version\"");
        HttpResponse<String> badVersion = post(port, "/api/releases", new JsonObject().put("version", "../x"), TOKEN);
        assertThat(badVersion.statusCode()).as(badVersion.body()).isEqualTo(400);
        assertThat(new JsonObject(badVersion.body()).getInteger("exitCode")).isEqualTo(ExitCode.BAD_INPUT);
        HttpResponse<String> noChangelog = post(port, "/api/releases", new JsonObject().put("version", "v9"), TOKEN);
        assertThat(noChangelog.statusCode()).as(noChangelog.body()).isEqualTo(400);
        assertThat(get(port, "/api/releases/999", TOKEN).statusCode()).isEqualTo(404);
        assertThat(stack.lastRelease().orElseThrow().version()).as("nothing was released").isEqualTo("v1");

        // Without a token the server binds only to loopback.
        GreeterStack.Run open = stack.cli("serve", "--listen", "0.0.0.0:0");
        assertThat(open.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(open.stderr()).contains("needs a token").contains("SWITCHMAN_API_TOKEN");
    }

    @Test
    void twoServersOnOneStoreRacingToReleaseOneApplicationLetExactlyOneProceed() throws Exception {
        int a = serve();
        int b = serve();
        List<HttpResponse<String>> answers = Stream.of(a, b).parallel()
                .map(port -> post(port, "/api/releases", new JsonObject().put("version", "v2"), TOKEN)).toList();
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(202, 409);
        HttpResponse<String> won = answers.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow();
        HttpResponse<String> lost = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertThat(new JsonObject(lost.body()).getInteger("exitCode")).isEqualTo(ExitCode.CONFLICT);
        long id = new JsonObject(won.body()).getLong("release");
        // Either server streams the release: the other reads it from the store.
        int other = answers.get(0) == won ? b : a;
        assertThat(stream(other, id).getLast().data().getString("state")).isEqualTo("RELEASED");
    }

    @Test
    void theCliDrivesARunningServerWithTheSameOutputAndExitCodes() throws Exception {
        int port = serve();
        String url = "http://127.0.0.1:" + port;
        Path token = dir.resolve("api-token");
        java.nio.file.Files.writeString(token, TOKEN + "\n");
        GreeterStack.Run released = stack.cliRaw("release", "v2", "--server", url, "--token-file", token.toString(), "--json");
        assertThat(released.exitCode()).as(released.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(released.stderr()).containsPattern("contract +passed").contains("ended RELEASED");
        assertThat(new JsonObject(released.stdout().strip()).getString("state")).isEqualTo("RELEASED");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");

        GreeterStack.Run status = stack.cliRaw("status", "--server", url, "--token-file", token.toString(), "--json");
        assertThat(status.exitCode()).as(status.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(new JsonObject(status.stdout().strip()).getJsonObject("live").getString("version")).isEqualTo("v2");
        GreeterStack.Run promote = stack.cliRaw("promote", "--server", url, "--token-file", token.toString());
        assertThat(promote.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(promote.stderr()).contains("no release of greeter is in progress");

        java.nio.file.Files.writeString(token, "wrong");
        GreeterStack.Run refused = stack.cliRaw("release", "v3", "--server", url, "--token-file", token.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(refused.stderr()).contains("wrong bearer token").contains("SWITCHMAN_API_TOKEN");
        GreeterStack.Run nobody = stack.cliRaw("release", "v3", "--server", "http://127.0.0.1:" + dev.switchman.support.Ports.free());
        assertThat(nobody.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(nobody.stderr()).contains("nothing answers there");
        assertThat(stack.lastRelease().orElseThrow().version()).isEqualTo("v2");
    }

    @Test
    void aReleaseWhoseCoordinatorWasKilledIsInterruptedOnEveryServerUntilOneRollsItBack() throws Exception {
        int a = serve();
        int b = serve();
        // A long bake, so that the coordinator is killed while the new version takes the traffic.
        stack.strategy(GreeterStack.strategy("60s", 100));
        Process coordinator = stack.releaseProcess("v2");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> stack.lastRelease().map(r -> r.version().equals("v2") && "bake".equals(r.gate())).orElse(false));
            for (int port : List.of(a, b)) {
                assertThat(inProgress(port).getBoolean("interrupted")).as("its coordinator runs it").isFalse();
            }
        } finally {
            coordinator.destroyForcibly().waitFor(); // SIGKILL: it writes nothing more
        }
        long id = stack.lastRelease().orElseThrow().id();
        // PostgreSQL ends the dead client's session, and with it the application's lock.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Boolean.TRUE.equals(inProgress(a).getBoolean("interrupted")));
        for (int port : List.of(a, b)) {
            JsonObject inProgress = inProgress(port);
            assertThat(inProgress.getLong("release")).isEqualTo(id);
            assertThat(inProgress.getString("state")).isEqualTo("RUNNING");
            assertThat(inProgress.getBoolean("interrupted")).as("server on port " + port).isTrue();
        }
        if (java.nio.file.Files.isExecutable(LiveViewTest.CHROMIUM)) {
            // The live view, on loopback without a token, says so and what to do.
            int open = serve(Optional.empty());
            String dom = LiveViewTest.chromium(dir, "http://127.0.0.1:" + open + "/", "--dump-dom");
            assertThat(dom).contains("#" + id + " v2 INTERRUPTED at gate bake").contains("roll it back")
                    .contains("class=\"INTERRUPTED\"");
        }

        HttpResponse<String> rollback = post(b, "/api/rollback", new JsonObject(), TOKEN);
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(202);
        assertThat(stream(b, id).getLast().data().getString("state")).isEqualTo("ROLLED_BACK");
        for (int port : List.of(a, b)) {
            JsonObject status = new JsonObject(get(port, "/api/status", TOKEN).body());
            assertThat(status.getValue("inProgress")).as("server on port " + port).isNull();
            assertThat(status.getJsonObject("live").getString("version")).isEqualTo("v1");
        }
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
        // The server that rolled it back counts it, at the gate the release was in.
        assertThat(get(b, "/metrics", null).body())
                .contains("switchman_releases_total{application=\"greeter\",outcome=\"rolled_back\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"greeter\",gate=\"bake\"} 1.0");
    }

    /** The release in progress, as /api/status says it. */
    private JsonObject inProgress(int port) {
        HttpResponse<String> status = get(port, "/api/status", TOKEN);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        JsonObject inProgress = new JsonObject(status.body()).getJsonObject("inProgress");
        assertThat(inProgress).as(status.body()).isNotNull();
        return inProgress;
    }

    private int serve() {
        return serve(Optional.of(TOKEN));
    }

    private int serve(Optional<String> token) {
        Wiring wiring = Wiring.open(Kinds.loadConfig(stack.config));
        wirings.add(wiring);
        ApiServer server = Futures.await(ApiServer.start(wiring, new ApiOptions("127.0.0.1", 0, token), Progress.NONE));
        servers.add(server);
        return server.port();
    }

    private void awaitWaiting(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonObject status = new JsonObject(get(port, "/api/status", TOKEN).body());
            JsonObject inProgress = status.getJsonObject("inProgress");
            return inProgress != null && inProgress.getString("awaiting") != null;
        });
    }

    record Sse(String event, JsonObject data) {}

    /** The release's event stream, read to its end. */
    private List<Sse> stream(int port, long id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/releases/" + id + "/events"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(120)).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        List<Sse> events = new ArrayList<>();
        String event = null;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(new Sse(event, new JsonObject(line.substring(6))));
            }
        }
        return events;
    }

    private HttpResponse<String> get(int port, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> post(int port, String path, JsonObject body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
