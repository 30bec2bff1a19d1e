package dev.switchman.health.webhook;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Subject;
import dev.switchman.model.Colour;
import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A webhook metric against a real HTTP server: what it is told, the verdicts it reads, and the failures. */
class WebhookTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Subject GREEN_V2 = new Subject("shop", Colour.GREEN, "v2", Colour.BLUE, "v1");

    Vertx vertx;
    HttpServer server;
    final AtomicReference<String> answer = new AtomicReference<>("{\"verdict\":\"go\"}");
    final AtomicReference<JsonObject> told = new AtomicReference<>();
    final AtomicReference<String> authorization = new AtomicReference<>();
    final AtomicReference<String> method = new AtomicReference<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = await(vertx.createHttpServer().requestHandler(r -> {
            method.set(r.method().name());
            authorization.set(r.getHeader("Authorization"));
            r.body().onSuccess(b -> {
                told.set(b.toJsonObject());
                if (answer.get() != null) {
                    r.response().putHeader("content-type", "application/json").end(answer.get());
                } // else never answers
            });
        }).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    private Measurement measure(String url, Subject subject, Map<String, String> env, String tokenEnv) {
        Webhook webhook = new Webhook(vertx, new WebhookSettings(url, Duration.ofMillis(500), tokenEnv),
                Clock.fixed(START, ZoneOffset.UTC), env::get);
        return await(await(webhook.open(subject)).measure());
    }

    private String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/judge";
    }

    @Test
    void itIsToldWhatIsJudgedAndItsVerdictIsRead() {
        Measurement go = measure(url(), GREEN_V2, Map.of(), null);
        assertThat(go.phase()).as(go.detail()).isEqualTo(Phase.SUCCESS);
        assertThat(method.get()).isEqualTo("POST");
        assertThat(told.get()).isEqualTo(new JsonObject().put("application", "shop").put("colour", "green").put("version", "v2")
                .put("liveColour", "blue").put("liveVersion", "v1").put("windowStart", "2030-01-01T00:00:00Z"));
        assertThat(authorization.get()).isNull();

        answer.set("{\"verdict\":\"no-go\",\"reason\":\"p99 doubled\"}");
        Measurement noGo = measure(url(), GREEN_V2, Map.of(), null);
        assertThat(noGo.phase()).isEqualTo(Phase.FAILURE);
        assertThat(noGo.detail()).isEqualTo("green: the webhook says no-go: p99 doubled");
    }

    @Test
    void aFirstReleaseTellsNoLiveColour() {
        measure(url(), new Subject("shop", Colour.BLUE, "v1", null, null), Map.of(), null);
        assertThat(told.get().containsKey("liveColour")).isTrue();
        assertThat(told.get().getValue("liveColour")).isNull();
        assertThat(told.get().getValue("liveVersion")).isNull();
    }

    @Test
    void theTokenIsSentAndNeverShown() {
        answer.set("{\"verdict\":\"no-go\",\"reason\":\"nope\"}");
        Measurement m = measure(url(), GREEN_V2, Map.of("HOOK_TOKEN", "s3cret"), "HOOK_TOKEN");
        assertThat(authorization.get()).isEqualTo("Bearer s3cret");
        assertThat(m.detail()).doesNotContain("s3cret");
        Measurement unset = measure(url(), GREEN_V2, Map.of(), "HOOK_TOKEN");
        assertThat(unset.phase()).isEqualTo(Phase.ERROR);
        assertThat(unset.detail()).contains("HOOK_TOKEN, which is not set");
    }

    @Test
    void noAnswerInTimeOrNoServerIsAnError() {
        answer.set(null);
        Measurement late = measure(url(), GREEN_V2, Map.of(), null);
        assertThat(late.phase()).isEqualTo(Phase.ERROR);
        assertThat(late.detail()).isEqualTo("green: the webhook at " + url() + " did not answer within 500ms (timeout)");

        Measurement gone = measure("http://127.0.0.1:" + Ports.free() + "/judge", GREEN_V2, Map.of(), null);
        assertThat(gone.phase()).isEqualTo(Phase.ERROR);
        assertThat(gone.detail()).contains("connection refused by the webhook at");
    }
}
