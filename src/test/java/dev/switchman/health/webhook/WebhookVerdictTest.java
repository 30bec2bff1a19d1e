package dev.switchman.health.webhook;

import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verdict on a webhook's answers, and its keys checked when the strategy loads. */
class WebhookVerdictTest {
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

    private static Measurement judge(int status, String body) {
        return WebhookVerdict.judge(status, body, GREEN, AT);
    }

    @Test
    void goNoGoAndInconclusive() {
        Measurement go = judge(200, "{\"verdict\":\"go\"}");
        assertThat(go.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(go.detail()).isEqualTo("green: the webhook says go");
        assertThat(go.at()).isEqualTo(AT);

        Measurement noGo = judge(200, "{\"verdict\":\"no-go\",\"reason\":\"checkout conversion down 4%\"}");
        assertThat(noGo.phase()).isEqualTo(Phase.FAILURE);
        assertThat(noGo.detail()).isEqualTo("green: the webhook says no-go: checkout conversion down 4%");
        assertThat(judge(202, "{\"verdict\":\"no-go\"}").detail()).isEqualTo("green: the webhook says no-go (it gave no reason)");

        Measurement thin = judge(200, "{\"verdict\":\"inconclusive\",\"reason\":\"12 orders so far\"}");
        assertThat(thin.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(thin.detail()).isEqualTo("green: the webhook says inconclusive: 12 orders so far");
    }

    @Test
    void anEmptyAnswerIsNoVerdict() {
        for (int status : new int[] {200, 204}) {
            Measurement m = judge(status, "");
            assertThat(m.phase()).isEqualTo(Phase.ERROR);
            assertThat(m.detail()).contains("answered " + status + " with no body").contains("\"verdict\": \"go\"");
        }
    }

    @Test
    void anythingElseIsAnError() {
        assertThat(judge(500, "database down")).satisfies(m -> {
            assertThat(m.phase()).isEqualTo(Phase.ERROR);
            assertThat(m.detail()).isEqualTo("green: the webhook answered 500: database down");
        });
        assertThat(judge(503, null).detail()).isEqualTo("green: the webhook answered 503");
        assertThat(judge(200, "ok").detail()).contains("not a JSON object: ok");
        assertThat(judge(200, "[\"go\"]").phase()).isEqualTo(Phase.ERROR);
        assertThat(judge(200, "{\"verdict\":\"GO\"}").detail()).contains("no verdict go, no-go or inconclusive");
        assertThat(judge(200, "{\"verdict\":true}").phase()).isEqualTo(Phase.ERROR);
        assertThat(judge(301, "{\"verdict\":\"go\"}").phase()).as("only a 2xx carries a verdict").isEqualTo(Phase.ERROR);
    }

    @Test
    void settingsNameTheirKey() {
        WebhookSettings s = new WebhookSettings("https://checks.internal/switchman/", null, null);
        assertThat(s.url()).isEqualTo("https://checks.internal/switchman");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new WebhookSettings(null, null, null)).hasMessageStartingWith("url is required");
        assertThatThrownBy(() -> new WebhookSettings("checks.internal", null, null)).hasMessageStartingWith("url must be an http");
        assertThatThrownBy(() -> new WebhookSettings("http://h", Duration.ZERO, null)).hasMessageStartingWith("timeout must be positive");
        assertThatThrownBy(() -> new WebhookSettings("http://h", null, "my-token")).hasMessageStartingWith("tokenEnv names an environment variable");
    }
}
