package dev.switchman.health.webhook;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.health.prometheus.HttpSource;
import java.time.Duration;

/**
 * {@code type: webhook}: a service of the user's that judges the new colour. {@code url}: where each measurement is
 * POSTed ({@code http(s)://...}); {@code timeout}: how long one answer may take (5s); {@code tokenEnv}: the environment
 * variable holding a bearer token to send, if the service wants one.
 */
public record WebhookSettings(String url, Duration timeout, String tokenEnv) implements KindSettings {
    public WebhookSettings {
        url = HttpSource.url("url", url, "the service that judges the release, e.g. https://checks.internal/switchman");
        timeout = Durations.positive("timeout", timeout, Duration.ofSeconds(5));
        tokenEnv = HttpSource.envName("tokenEnv", tokenEnv);
    }
}
