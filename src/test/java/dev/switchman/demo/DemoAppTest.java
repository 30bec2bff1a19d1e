package dev.switchman.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo application over a real PostgreSQL, through the expand/contract story of its three versions. */
class DemoAppTest {
    private static final String V1 = "demo/v1/changelog.xml";
    private static final String V2 = "demo/v2/changelog.xml";
    private static final String V3 = "demo/v3/changelog.xml";

    @TempDir
    static Path dataDirectory;

    private static SharedDatabase postgres;
    private static Vertx vertx;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<DemoApp> apps = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        DemoLogging.quietLibraries();
        postgres = SharedDatabase.start(dataDirectory);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stopApps() throws Exception {
        for (DemoApp app : apps) {
            app.stop().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void v1StoresAndListsItems() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        DemoApp v1 = start("v1", db);

        Reply health = get(v1, "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).isEqualTo(new JsonObject().put("status", "UP").put("version", "v1"));
        assertThat(health.version()).isEqualTo("v1");

        Reply created = post(v1, "/items", new JsonObject().put("title", "first").encode());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().getString("title")).isEqualTo("first");
        long id = created.json().getLong("id");
        assertThat(created.version()).isEqualTo("v1");

        assertThat(get(v1, "/items/" + id).json()).isEqualTo(created.json());
        JsonArray items = new JsonArray(get(v1, "/items").body());
        assertThat(items).containsExactly(created.json());
        assertThat(SharedDatabase.strings(db, "SELECT name FROM items")).containsExactly("first");

        assertThat(get(v1, "/items/999999").status()).isEqualTo(404);
        assertThat(get(v1, "/items/abc").status()).isEqualTo(400);
        assertThat(post(v1, "/items", "{\"name\":\"no title\"}").status()).isEqualTo(400);
        assertThat(post(v1, "/items", "not json").status()).isEqualTo(400);
        Reply missing = get(v1, "/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.version()).isEqualTo("v1");
    }

    @Test
    void v1AndV2ShareRowsThroughTheTriggerAndV2SurvivesContract() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        DemoApp v1 = start("v1", db);
        long before = post(v1, "/items", "{\"title\":\"written before expand\"}").json().getLong("id");

        Liquibases.tag(db, "before-v2");
        Liquibases.update(db, V2, "@expand");
        assertThat(SharedDatabase.columns(db, "items")).contains("name", "title");
        // Blue still works on the expanded schema.
        assertThat(get(v1, "/health").status()).isEqualTo(200);
        assertThat(get(v1, "/items/" + before).json().getString("title")).isEqualTo("written before expand");

        DemoApp v2 = start("v2", db);
        assertThat(get(v2, "/health").json().getString("version")).isEqualTo("v2");
        // The backfill gave the old row a title.
        assertThat(get(v2, "/items/" + before).json().getString("title")).isEqualTo("written before expand");

        long fromV1 = post(v1, "/items", "{\"title\":\"from v1\"}").json().getLong("id");
        long fromV2 = post(v2, "/items", "{\"title\":\"from v2\"}").json().getLong("id");
        assertThat(get(v2, "/items/" + fromV1).json().getString("title")).isEqualTo("from v1");
        assertThat(get(v1, "/items/" + fromV2).json().getString("title")).isEqualTo("from v2");
        assertThat(SharedDatabase.strings(db, "SELECT name || '|' || title FROM items ORDER BY id"))
                .containsExactly("written before expand|written before expand", "from v1|from v1", "from v2|from v2");

        // Updates from either side keep the columns in step too.
        SharedDatabase.execute(db, "UPDATE items SET name = 'renamed by v1' WHERE id = " + fromV1);
        SharedDatabase.execute(db, "UPDATE items SET title = 'renamed by v2' WHERE id = " + fromV2);
        assertThat(get(v2, "/items/" + fromV1).json().getString("title")).isEqualTo("renamed by v1");
        assertThat(get(v1, "/items/" + fromV2).json().getString("title")).isEqualTo("renamed by v2");

        Liquibases.update(db, V2, "@contract");
        assertThat(SharedDatabase.columns(db, "items")).contains("title").doesNotContain("name");
        assertThat(SharedDatabase.strings(db, "SELECT proname FROM pg_proc WHERE proname = 'items_sync_name_title'"))
                .isEmpty();
        assertThat(get(v2, "/health").status()).isEqualTo(200);
        Reply created = post(v2, "/items", "{\"title\":\"after contract\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(new JsonArray(get(v2, "/items").body()).stream().map(o -> ((JsonObject) o).getString("title")))
                .containsExactly("after contract", "renamed by v2", "renamed by v1", "written before expand");
    }

    @Test
    void rollingBackV2ExpandToTheTagRemovesTitleAndKeepsV1Working() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        DemoApp v1 = start("v1", db);
        post(v1, "/items", "{\"title\":\"kept\"}");
        Liquibases.tag(db, "before-v2");
        Liquibases.update(db, V2, "@expand");
        post(v1, "/items", "{\"title\":\"written while expanded\"}");

        Liquibases.rollbackToTag(db, V2, "before-v2");

        assertThat(SharedDatabase.columns(db, "items")).containsExactly("id", "name", "created_at");
        assertThat(SharedDatabase.strings(db, "SELECT tgname FROM pg_trigger WHERE tgname = 'items_sync_name_title'"))
                .isEmpty();
        assertThat(SharedDatabase.strings(db, "SELECT proname FROM pg_proc WHERE proname = 'items_sync_name_title'"))
                .isEmpty();
        assertThat(SharedDatabase.strings(db, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                .containsExactly("v1-1-create-items");
        assertThat(get(v1, "/health").status()).isEqualTo(200);
        assertThat(new JsonArray(get(v1, "/items").body())).hasSize(2);
        assertThat(post(v1, "/items", "{\"title\":\"after rollback\"}").status()).isEqualTo(201);
    }

    @Test
    void v3IsUnhealthyAndItsExpandRollsBack() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        Liquibases.update(db, V2, "@expand");
        Liquibases.update(db, V2, "@contract");
        Liquibases.tag(db, "before-v3");
        Liquibases.update(db, V3, "@expand");
        assertThat(SharedDatabase.columns(db, "items")).contains("priority");

        DemoApp v2 = start("v2", db);
        DemoApp v3 = start("v3", db);
        assertThat(get(v2, "/health").status()).isEqualTo(200);
        Reply health = get(v3, "/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().getString("status")).isEqualTo("DOWN");
        assertThat(health.json().getString("version")).isEqualTo("v3");
        assertThat(health.version()).isEqualTo("v3");

        Liquibases.rollbackToTag(db, V3, "before-v3");
        assertThat(SharedDatabase.columns(db, "items")).doesNotContain("priority").contains("title");
        assertThat(post(v2, "/items", "{\"title\":\"after v3\"}").status()).isEqualTo(201);
    }

    @Test
    void healthIs503WhileTheDatabaseIsUnreachable() throws Exception {
        int closedPort = Ports.free();
        DemoApp app = start("v1", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing");
        Reply health = get(app, "/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().getString("status")).isEqualTo("DOWN");
        assertThat(health.json().getString("version")).isEqualTo("v1");
        assertThat(get(app, "/items").status()).isEqualTo(503);
    }

    @Test
    void loadAgainstV1MeetsNoFailures() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        DemoApp v1 = start("v1", db);
        LoadGenerator load = LoadGenerator.start(vertx, "127.0.0.1", v1.port(), 4);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> load.snapshot().requests() >= 100);
        LoadGenerator.Result result = load.stop().await(15, TimeUnit.SECONDS);

        assertThat(result.failures()).as("failures: %s", result.failureExamples()).isZero();
        assertThat(result.byVersion()).containsOnlyKeys("v1");
        assertThat(result.byVersion().get("v1")).isEqualTo(result.requests());
        long rows = Long.parseLong(SharedDatabase.strings(db, "SELECT count(*) FROM items").getFirst());
        assertThat(rows).isPositive().isLessThan(result.requests());
    }

    @Test
    void settingsComeFromTheEnvironment() {
        DemoSettings settings = DemoSettings.fromEnv(Map.of(
                "PORT", "8081", "APP_VERSION", "v2", "DB_URL", "jdbc:postgresql://db:5432/app",
                "DB_USER", "app", "DB_PASSWORD_ENV", "APP_DB_PASSWORD", "APP_DB_PASSWORD", "s3cret"));
        assertThat(settings).isEqualTo(new DemoSettings("127.0.0.1", 8081, "v2", "jdbc:postgresql://db:5432/app", "app", "s3cret"));
        assertThat(settings.toString()).doesNotContain("s3cret");
        assertThat(settings.titleColumn()).isEqualTo("title");

        DemoSettings defaults = DemoSettings.fromEnv(Map.of(
                "PORT", "0", "APP_VERSION", "v1", "DB_URL", "jdbc:postgresql://localhost/postgres", "DB_PASSWORD_ENV", ""));
        assertThat(defaults.dbUser()).isEqualTo("postgres");
        assertThat(defaults.dbPassword()).isNull();
        assertThat(defaults.titleColumn()).isEqualTo("name");

        assertThatThrownBy(() -> DemoSettings.fromEnv(Map.of("APP_VERSION", "v1", "DB_URL", "jdbc:postgresql://x/y")))
                .hasMessageContaining("PORT");
        assertThatThrownBy(() -> DemoSettings.fromEnv(Map.of("PORT", "1", "APP_VERSION", "v9", "DB_URL", "jdbc:postgresql://x/y")))
                .hasMessageContaining("APP_VERSION");
        assertThatThrownBy(() -> DemoSettings.fromEnv(Map.of("PORT", "1", "APP_VERSION", "v1", "DB_URL", "mysql://x")))
                .hasMessageContaining("DB_URL");
    }

    @Test
    void runsAsAProcessConfiguredByEnvironmentAndStopsOnSigterm() throws Exception {
        String db = postgres.newDatabase();
        Liquibases.update(db, V1, "@expand");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DemoApp.class.getName());
        builder.environment().putAll(Map.of("PORT", "0", "APP_VERSION", "v1", "DB_URL", db, "DB_USER", "postgres",
                "DB_PASSWORD_ENV", "DEMO_TEST_PASSWORD", "DEMO_TEST_PASSWORD", "unused-with-trust-auth"));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try {
            String first = ProcessLines.first(process, Duration.ofSeconds(30));
            assertThat(first).as("the start line").isNotNull().startsWith("demo v1 listening on 127.0.0.1:");
            int port = Integer.parseInt(first.replaceFirst("^demo v1 listening on 127\\.0\\.0\\.1:(\\d+) .*$", "$1"));

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(health.body()).getString("version")).isEqualTo("v1");

            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
        } finally {
            process.destroyForcibly();
        }
    }

    private DemoApp start(String version, String jdbcUrl) throws Exception {
        DemoApp app = DemoApp.start(vertx, new DemoSettings("127.0.0.1", 0, version, jdbcUrl, "postgres", null))
                .await(20, TimeUnit.SECONDS);
        apps.add(app);
        return app;
    }

    record Reply(int status, String body, String version) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private static Reply get(DemoApp app, String path) throws Exception {
        return send(app, HttpRequest.newBuilder(uri(app, path)).GET());
    }

    private static Reply post(DemoApp app, String path, String body) throws Exception {
        return send(app, HttpRequest.newBuilder(uri(app, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(DemoApp app, String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static Reply send(DemoApp app, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue(DemoApp.VERSION_HEADER).orElse(null));
    }
}
