package dev.switchman.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against real HTTP servers that fail requests in known ways: its counts must be exact. */
class LoadGeneratorTest {
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** What the server saw, to compare with what the generator counted. */
    static final class Seen {
        final AtomicLong received = new AtomicLong();
        final AtomicLong gets = new AtomicLong();
        final AtomicLong posts = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong resets = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
        /** POST bodies that were not what the generator should send: checked on the test thread, not in a handler. */
        final Queue<String> badPosts = new ConcurrentLinkedQueue<>();
    }

    @Test
    void countsEveryRequestFailureAndVersionExactly() throws Exception {
        Seen seen = new Seen();
        HttpServer server = serve(seen, (request) -> {
            long n = seen.received.incrementAndGet();
            request.body().onSuccess(body -> {
                if (request.method() == HttpMethod.POST) {
                    if (!title(body).startsWith("load ")) {
                        seen.badPosts.add(body.toString());
                    }
                    seen.posts.incrementAndGet();
                } else {
                    seen.gets.incrementAndGet();
                }
                if (n % 13 == 0) {
                    seen.resets.incrementAndGet();
                    request.connection().close();
                    return;
                }
                String version = n % 2 == 0 ? "blue" : "green";
                seen.versions.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
                int status = n % 7 == 0 ? 500 : request.method() == HttpMethod.POST ? 201 : 200;
                if (status == 500) {
                    seen.errors.incrementAndGet();
                }
                request.response().setStatusCode(status).putHeader(DemoApp.VERSION_HEADER, version).end("[]");
            });
        });

        LoadGenerator load = LoadGenerator.start(vertx, "127.0.0.1", server.actualPort(), 8);
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.received.get() >= 500);
        LoadGenerator.Result result = load.stop().await(15, TimeUnit.SECONDS);

        assertThat(result.requests()).isEqualTo(seen.received.get());
        assertThat(result.failures()).isEqualTo(seen.errors.get() + seen.resets.get());
        assertThat(result.successes()).isEqualTo(seen.received.get() - seen.errors.get() - seen.resets.get());
        assertThat(seen.errors.get()).isPositive();
        assertThat(seen.resets.get()).isPositive();
        assertThat(result.byVersion()).containsOnlyKeys("blue", "green");
        seen.versions.forEach((version, count) -> assertThat(result.byVersion().get(version)).isEqualTo(count.get()));
        assertThat(result.failureExamples()).hasSize(LoadGenerator.MAX_EXAMPLES)
                .anySatisfy(m -> assertThat(m).contains("HTTP 500"));
        // A mix of reads and writes, over kept-alive connections (new ones only where the server closed one).
        assertThat(seen.posts.get()).isPositive();
        assertThat(seen.badPosts).as("POST bodies without a 'load ...' title").isEmpty();
        assertThat(seen.gets.get()).isGreaterThan(seen.posts.get());
        assertThat(seen.connections.get()).isLessThanOrEqualTo(8 + seen.resets.get());

        long after = seen.received.get();
        assertThat(load.stop().await(1, TimeUnit.SECONDS)).isEqualTo(result);
        assertThat(seen.received.get()).as("nothing sent after stop").isEqualTo(after);
    }

    @Test
    void aRequestStillUnansweredAtTheStopBoundCountsAsFailed() throws Exception {
        Seen seen = new Seen();
        HttpServer server = serve(seen, request -> {
            long n = seen.received.incrementAndGet();
            if (n == 20) {
                return; // never answered
            }
            request.body().onSuccess(body -> request.response().putHeader(DemoApp.VERSION_HEADER, "v1").end("[]"));
        });

        LoadGenerator load = LoadGenerator.start(vertx, "127.0.0.1", server.actualPort(), 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.received.get() >= 200);
        LoadGenerator.Result result = load.stop(Duration.ofMillis(500)).await(10, TimeUnit.SECONDS);

        assertThat(result.requests()).isEqualTo(seen.received.get());
        assertThat(result.failures()).isEqualTo(1);
        assertThat(result.byVersion()).containsExactly(Map.entry("v1", seen.received.get() - 1));
        assertThat(result.failureExamples()).singleElement().asString().contains("unanswered");
    }

    @Test
    void connectionErrorsAreFailures() throws Exception {
        int closedPort = Ports.free();
        LoadGenerator load = LoadGenerator.start(vertx, "127.0.0.1", closedPort, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> load.snapshot().failures() >= 10);
        LoadGenerator.Result result = load.stop().await(15, TimeUnit.SECONDS);

        assertThat(result.requests()).isEqualTo(result.failures()).isGreaterThanOrEqualTo(10);
        assertThat(result.byVersion()).isEmpty();
        assertThat(result.failureExamples()).isNotEmpty().allSatisfy(m -> assertThat(m).matches("(GET|POST) /items: .+"));
    }

    private static String title(Buffer body) {
        try {
            String title = new JsonObject(body).getString("title");
            return title == null ? "" : title;
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    private HttpServer serve(Seen seen, Consumer<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer()
                .connectionHandler(connection -> seen.connections.incrementAndGet())
                .requestHandler(handler::accept)
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }
}
