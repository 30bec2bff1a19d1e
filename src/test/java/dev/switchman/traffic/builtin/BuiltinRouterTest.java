package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.support.Ports;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinRouterTest {

    private static Vertx vertx;

    @TempDir
    Path stateDir;

    private Upstream blue;
    private Upstream green;
    private BuiltinRouterSettings config;
    private final List<BuiltinRouterServer> servers = new ArrayList<>();
    private final List<BuiltinRouter> routers = new ArrayList<>();
    private HttpClient http;
    /** The test's own HTTP calls run here: a response read from another thread can lose its body (Vert.x 5). */
    private Context context;

    @BeforeAll
    static void vertx() {
        vertx = RouterTransport.vertxOn(RouterTransport.AUTO.pick()); // what the router process runs on
        Awaitility.setDefaultTimeout(Futures.BOUND);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void upstreams() throws Exception {
        blue = Upstream.start(vertx, "blue");
        green = Upstream.start(vertx, "green");
        config = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(10));
        context = vertx.getOrCreateContext();
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
    }

    @AfterEach
    void close() throws Exception {
        for (BuiltinRouter router : routers) {
            router.close();
        }
        for (BuiltinRouterServer server : servers) {
            await(server.close());
        }
        await(http.close());
        await(blue.close());
        await(green.close());
    }

    // ---- routing -----------------------------------------------------------------------------------------------

    @Test
    void routesByWeightExactlyWithSmoothRoundRobinAndCountsPerColour() {
        startServer();
        BuiltinRouter router = client();

        await(router.setWeights(split(0)));
        assertThat(colours(10)).containsOnlyKeys("blue").containsEntry("blue", 10);

        await(router.setWeights(split(100)));
        assertThat(colours(10)).containsOnlyKeys("green").containsEntry("green", 10);

        await(router.setWeights(split(70)));
        assertThat(colours(100)).containsEntry("blue", 30).containsEntry("green", 70);
        assertThat(await(router.verify(split(70)))).isTrue();
        assertThat(await(router.verify(split(60)))).isFalse();

        await().until(() -> await(router.status()).stats(GREEN).inFlight() == 0
                && await(router.status()).stats(BLUE).inFlight() == 0);
        RouterStatus status = await(router.status());
        assertThat(status.target()).isEqualTo(split(70));
        assertThat(status.stats(BLUE).requests()).isEqualTo(10 + 30);
        assertThat(status.stats(GREEN).requests()).isEqualTo(10 + 70);
        assertThat(status.stats(BLUE).errors()).isZero();
        assertThat(status.stats(GREEN).meanLatencyMillis()).isPositive();

        String metrics = await(adminGet("/metrics", null)).bodyAsString();
        assertThat(metrics)
                .contains("switchman_router_requests_total{colour=\"green\",outcome=\"success\",version=\"\"} 80.0")
                .contains("switchman_router_request_duration_seconds_count{colour=\"blue\",version=\"\"} 40")
                .contains("switchman_router_weight{colour=\"green\",version=\"\"} 70.0")
                .contains("switchman_router_in_flight{colour=\"blue\",version=\"\"} 0.0");
    }

    @Test
    void aClientAskingForAnH2cUpgradeIsServedInHttp11() throws Exception {
        startServer();
        await(client().setWeights(split(100)));
        // The JDK's client asks to upgrade cleartext connections to HTTP/2 (Upgrade: h2c), as curl --http2 does.
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 5; i++) {
            java.net.http.HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + config.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("green");
            assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void takesTurnsAcrossTheEndpointsOfAColour() throws Exception {
        Upstream blue2 = Upstream.start(vertx, "blue2");
        try {
            startServer();
            TrafficTarget target = new TrafficTarget(Map.of(
                    BLUE, new TrafficTarget.Backend(List.of(blue.endpoint(), blue2.endpoint()), 100)));
            await(client().setWeights(target));
            assertThat(colours(10)).containsEntry("blue", 5).containsEntry("blue2", 5);
        } finally {
            await(blue2.close());
        }
    }

    @Test
    void answers503WithoutTargetAnd502WhenTheUpstreamIsDown() throws Exception {
        startServer();
        Resp none = get("/");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.body()).contains("no traffic target");

        Endpoint nobody = new Endpoint("127.0.0.1", Ports.free());
        // No other colour to retry on (BuiltinRouterFailoverTest has those that have one).
        await(client().setWeights(new TrafficTarget(Map.of(GREEN, new TrafficTarget.Backend(List.of(nobody), 100)))));
        assertThat(get("/").status()).isEqualTo(502);
        await().until(() -> await(client().status()).stats(GREEN).inFlight() == 0);
        RouterStatus.ColourStats stats = await(client().status()).stats(GREEN);
        assertThat(stats.requests()).isEqualTo(1);
        assertThat(stats.errors()).isEqualTo(1);
    }

    @Test
    void switchesUnderConcurrentKeepAliveLoadWithoutFailedRequests() {
        startServer();
        BuiltinRouter router = client();
        await(router.setWeights(split(0)));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger afterFinal = new AtomicInteger();
        AtomicLong finalSwitchAt = new AtomicLong(Long.MAX_VALUE);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Set<Object> connections = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicInteger running = new AtomicInteger(16);
        for (int worker = 0; worker < 16; worker++) {
            int w = worker;
            context.runOnContext(v -> loop(w, 0, stop, ok, afterFinal, finalSwitchAt, failures, connections, running));
        }

        int[] greenWeights = {100, 0, 50, 20, 100};
        for (int i = 0; i < greenWeights.length; i++) {
            int reached = ok.get() + failures.size() + 400;
            await().until(() -> ok.get() + failures.size() >= reached);
            await(router.setWeights(split(greenWeights[i])));
        }
        finalSwitchAt.set(System.nanoTime());
        await().until(() -> afterFinal.get() >= 1000 || !failures.isEmpty());
        stop.set(true);
        await().until(() -> running.get() == 0);

        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(3000);
        assertThat(afterFinal.get()).isGreaterThanOrEqualTo(1000);
        assertThat(connections).as("client connections kept alive").hasSizeLessThanOrEqualTo(16);
        assertThat(blue.connections() + green.connections()).as("upstream connections kept alive").isLessThanOrEqualTo(64);
        await().until(() -> {
            RouterStatus s = await(router.status());
            return s.stats(BLUE).inFlight() == 0 && s.stats(GREEN).inFlight() == 0;
        });
        RouterStatus status = await(router.status());
        assertThat(status.stats(BLUE).errors() + status.stats(GREEN).errors()).isZero();
        assertThat(status.stats(BLUE).requests() + status.stats(GREEN).requests()).isEqualTo(ok.get());
    }

    private void loop(int worker, int n, AtomicBoolean stop, AtomicInteger ok, AtomicInteger afterFinal,
                      AtomicLong finalSwitchAt, ConcurrentLinkedQueue<String> failures, Set<Object> connections,
                      AtomicInteger running) {
        if (stop.get()) {
            running.decrementAndGet();
            return;
        }
        long started = System.nanoTime();
        boolean post = n % 2 == 1;
        int size = 512 + worker * 64 + n % 100;
        Future<Resp> sent = http.request(new RequestOptions().setMethod(post ? HttpMethod.POST : HttpMethod.GET)
                        .setHost("127.0.0.1").setPort(config.port()).setURI("/load/" + worker).setIdleTimeout(10_000))
                .compose(request -> {
                    connections.add(request.connection());
                    return post ? request.send(Buffer.buffer("x".repeat(size))) : request.send();
                })
                .compose(response -> response.body().map(body -> new Resp(response.statusCode(), body.toString())));
        sent.onComplete(ar -> {
            if (ar.failed()) {
                failures.add(worker + "/" + n + ": " + ar.cause());
            } else if (ar.result().status() != 200) {
                failures.add(worker + "/" + n + ": status " + ar.result().status() + " " + ar.result().body());
            } else {
                String body = ar.result().body();
                String colour = body.contains(":") ? body.substring(0, body.indexOf(':')) : body;
                if (post && !body.endsWith(":" + size)) {
                    failures.add(worker + "/" + n + ": body lost, got " + body);
                } else if (started > finalSwitchAt.get()) {
                    if (colour.equals("green")) {
                        afterFinal.incrementAndGet();
                        ok.incrementAndGet();
                    } else {
                        failures.add(worker + "/" + n + ": went to " + colour + " after the final switch");
                    }
                } else {
                    ok.incrementAndGet();
                }
            }
            loop(worker, n + 1, stop, ok, afterFinal, finalSwitchAt, failures, connections, running);
        });
    }

    @Test
    void aSlowRequestOnBlueFinishesThereAfterTheSwitchAndDrainWaitsForIt() {
        startServer();
        BuiltinRouter router = client();
        await(router.setWeights(split(0)));

        Future<Resp> slow = send(HttpMethod.GET, "/slow");
        await().until(() -> blue.heldCount() == 1);
        assertThat(await(router.status()).stats(BLUE).inFlight()).isEqualTo(1);

        await(router.setWeights(split(100)));
        assertThat(colours(5)).containsOnlyKeys("green");
        Future<Void> drain = router.drain(BLUE);
        await().during(Duration.ofMillis(300)).atMost(Futures.BOUND).until(() -> !drain.isComplete());

        blue.releaseSlow();
        Resp resp = await(slow);
        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.body()).isEqualTo("blue:slow");
        await(drain);
        RouterStatus.ColourStats stats = await(router.status()).stats(BLUE);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.errors()).isZero();
    }

    @Test
    void drainFailsAfterItsTimeoutWithAMessage() {
        startServer();
        BuiltinRouter router = client();
        await(router.setWeights(split(0)));
        send(HttpMethod.GET, "/slow");
        await().until(() -> blue.heldCount() == 1);
        BuiltinRouter impatient = new BuiltinRouter(vertx, new BuiltinRouterSettings(config.host(), config.port(),
                config.adminPort(), Duration.ofMillis(200)), stateDir);
        routers.add(impatient);

        assertThatThrownBy(() -> await(impatient.drain(BLUE)))
                .hasMessageContaining("1 request(s) to blue still in flight");
        blue.releaseSlow();
    }

    @Test
    void aClientGoneMidRequestIsNoLongerInFlight() {
        startServer();
        BuiltinRouter router = client();
        await(router.setWeights(split(0)));

        HttpClientRequest request = await(onContext(() -> http.request(HttpMethod.GET, config.port(), "127.0.0.1", "/slow")
                .andThen(ar -> ar.result().end())));
        await().until(() -> blue.heldCount() == 1);
        assertThat(await(router.status()).stats(BLUE).inFlight()).isEqualTo(1);

        context.runOnContext(v -> request.connection().close());
        await().until(() -> await(router.status()).stats(BLUE).inFlight() == 0);
        assertThat(await(router.status()).stats(BLUE).errors()).isZero();
        assertThat(await(router.status()).stats(BLUE).clientAborts()).isEqualTo(1);
        blue.releaseSlow();
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Test
    void aRestartedRouterComesBackWithItsWeights() throws Exception {
        BuiltinRouterServer first = startServer();
        await(client().setWeights(split(100)));
        assertThat(Files.readString(stateDir.resolve("router-" + config.port() + ".json"))).contains("green");
        await(first.close());
        servers.remove(first);
        assertThatThrownBy(() -> await(client().status())).hasMessageContaining("not running");

        BuiltinRouterServer second = startServer();
        assertThat(second.target()).isEqualTo(split(100));
        assertThat(colours(5)).containsOnlyKeys("green");
        assertThat(await(client().verify(split(100)))).isTrue();
    }

    @Test
    void aCorruptStateFileFailsTheStartNamingTheFile() throws Exception {
        Path file = stateDir.resolve("router-" + config.port() + ".json");
        Files.writeString(file, "{\"blue\": {\"weight\": 100");
        assertThatThrownBy(() -> await(BuiltinRouterServer.start(vertx, config, stateDir)))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("corrupt");
    }

    @Test
    void aPortInUseFailsTheStartNamingThePortAndTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(config.port(), 50, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> await(BuiltinRouterServer.start(vertx, config, stateDir)))
                    .hasMessageContaining("router.port " + config.port() + " is in use")
                    .hasMessageContaining("free it or change router.port");
        }
        try (ServerSocket taken = new ServerSocket(config.adminPort(), 50, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> await(BuiltinRouterServer.start(vertx, config, stateDir)))
                    .hasMessageContaining("router.adminPort " + config.adminPort() + " is in use")
                    .hasMessageContaining("free it or change router.adminPort");
        }
        // the public port of the failed start was released
        startServer();
    }

    // ---- admin API ---------------------------------------------------------------------------------------------

    @Test
    void theAdminApiWantsTheTokenAndRejectsInvalidTargets() throws Exception {
        startServer();
        Path tokenFile = stateDir.resolve("router-" + config.port() + ".token");
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = BuiltinRouterServer.token(stateDir, config.port());
        assertThat(token).hasSize(64).isEqualTo(Files.readString(tokenFile).strip());

        assertThat(await(adminGet("/weights", null)).statusCode()).isEqualTo(401);
        assertThat(await(adminGet("/weights", "wrong")).statusCode()).isEqualTo(401);
        assertThat(await(adminGet("/healthz", null)).statusCode()).isEqualTo(200);
        assertThat(await(adminGet("/metrics", null)).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> empty = await(adminGet("/weights", token));
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.bodyAsJsonObject().getValue("target")).isNull();

        await(client().setWeights(split(0)));
        HttpResponse<Buffer> badJson = await(adminPut("{not json", token));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.bodyAsJsonObject().getString("error")).contains("not a JSON object");
        HttpResponse<Buffer> badSum = await(adminPut(
                "{\"blue\":{\"weight\":60,\"endpoints\":[\"127.0.0.1:1\"]},\"green\":{\"weight\":30,\"endpoints\":[\"127.0.0.1:2\"]}}", token));
        assertThat(badSum.statusCode()).isEqualTo(400);
        assertThat(badSum.bodyAsJsonObject().getString("error")).contains("weights sum to 90");
        HttpResponse<Buffer> badColour = await(adminPut("{\"red\":{\"weight\":100,\"endpoints\":[\"127.0.0.1:1\"]}}", token));
        assertThat(badColour.statusCode()).isEqualTo(400);
        assertThat(badColour.bodyAsJsonObject().getString("error")).contains("unknown colour 'red'");
        HttpResponse<Buffer> unauthorizedPut = await(adminPut(TargetJson.toJson(split(100)).encode(), "wrong"));
        assertThat(unauthorizedPut.statusCode()).isEqualTo(401);
        assertThat(await(client().verify(split(0)))).as("weights unchanged").isTrue();
    }

    @Test
    void aFormPutIsRefusedWith415AndWritesNoUploadFiles() throws Exception {
        Path workingDirUploads = Path.of(BodyHandler.DEFAULT_UPLOADS_DIRECTORY).toAbsolutePath();
        assertThat(workingDirUploads).as("left by an earlier run").doesNotExist();
        try {
            startServer();
            await(client().setWeights(split(0)));
            String token = BuiltinRouterServer.token(stateDir, config.port());
            String weights = TargetJson.toJson(split(100)).encode();
            String boundary = "switchman-form";
            String multipart = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"target\"; filename=\"weights.json\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + weights + "\r\n--" + boundary + "--\r\n";

            for (HttpResponse<Buffer> refused : List.of(
                    await(adminPut(multipart, token, "multipart/form-data; boundary=" + boundary)),
                    await(adminPut("target=" + weights, token, "application/x-www-form-urlencoded")),
                    await(adminPut(weights, token, "text/plain")))) {
                assertThat(refused.statusCode()).isEqualTo(415);
                assertThat(refused.getHeader("Content-Type")).isEqualTo("application/json");
                assertThat(refused.bodyAsJsonObject().getString("error")).contains("application/json");
            }
            assertThat(workingDirUploads).doesNotExist();
            assertThat(stateDir.resolve(BodyHandler.DEFAULT_UPLOADS_DIRECTORY)).doesNotExist();
            assertThat(await(client().verify(split(0)))).as("weights unchanged").isTrue();
            // JSON with a charset is JSON
            assertThat(await(adminPut(weights, token, "application/json; charset=utf-8")).statusCode()).isEqualTo(200);
        } finally {
            if (Files.isDirectory(workingDirUploads)) {
                try (var files = Files.walk(workingDirUploads)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void theClientExplainsAWrongTokenAndARouterThatIsNotRunning() throws Exception {
        BuiltinRouter notRunning = client();
        assertThatThrownBy(() -> await(notRunning.setWeights(split(0))))
                .hasMessageContaining("the builtin router is not running (admin API 127.0.0.1:" + config.adminPort() + ")")
                .hasMessageContaining("'switchman up'");

        startServer();
        Path otherDir = Files.createDirectories(stateDir.resolve("other"));
        Files.writeString(otherDir.resolve("router-" + config.port() + ".token"), "not-the-token\n");
        BuiltinRouter wrongToken = new BuiltinRouter(vertx, config, otherDir);
        routers.add(wrongToken);
        assertThatThrownBy(() -> await(wrongToken.status()))
                .hasMessageContaining("the token in " + otherDir.resolve("router-" + config.port() + ".token"))
                .hasMessageContaining("does not match the running router's");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    record Resp(int status, String body) {}

    private BuiltinRouterServer startServer() {
        BuiltinRouterServer server = await(BuiltinRouterServer.start(vertx, config, stateDir));
        servers.add(server);
        assertThat(server.port()).isEqualTo(config.port());
        assertThat(server.adminPort()).isEqualTo(config.adminPort());
        return server;
    }

    private BuiltinRouter client() {
        BuiltinRouter router = new BuiltinRouter(vertx, config, stateDir);
        routers.add(router);
        return router;
    }

    private TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(BLUE, List.of(blue.endpoint()), List.of(green.endpoint()), greenWeight);
    }

    private Future<Resp> send(HttpMethod method, String path) {
        return onContext(() -> http.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(config.port())
                        .setURI(path).setIdleTimeout(10_000))
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> new Resp(response.statusCode(), body.toString()))));
    }

    private <T> Future<T> onContext(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> call.get().onComplete(promise));
        return promise.future();
    }

    private Resp get(String path) {
        return await(send(HttpMethod.GET, path));
    }

    /** Sends {@code n} requests one after another and counts the upstream that answered each. */
    private Map<String, Integer> colours(int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Resp resp = get("/");
            assertThat(resp.status()).isEqualTo(200);
            counts.merge(resp.body(), 1, Integer::sum);
        }
        return counts;
    }

    private Future<HttpResponse<Buffer>> adminGet(String path, String token) {
        WebClient web = WebClient.create(vertx);
        var request = web.get(config.adminPort(), "127.0.0.1", path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.send().andThen(ar -> web.close());
    }

    private Future<HttpResponse<Buffer>> adminPut(String body, String token) {
        return adminPut(body, token, "application/json");
    }

    private Future<HttpResponse<Buffer>> adminPut(String body, String token, String contentType) {
        WebClient web = WebClient.create(vertx);
        return web.put(config.adminPort(), "127.0.0.1", "/weights")
                .bearerTokenAuthentication(token)
                .putHeader("Content-Type", contentType)
                .sendBuffer(Buffer.buffer(body, StandardCharsets.UTF_8.name()))
                .andThen(ar -> web.close());
    }
}
