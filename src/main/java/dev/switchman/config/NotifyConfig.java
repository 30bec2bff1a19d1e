package dev.switchman.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code notify}: a webhook told of a release's events, with a Slack-compatible JSON body. The URL is {@code url},
 * or read from the variable {@code urlEnv} (a Slack webhook's URL is itself a secret, and is then never written in
 * the config or shown). {@code events}: which to send (default all); {@code timeout} bounds each attempt,
 * {@code attempts} how many are made, with a doubling pause between them.
 */
public record NotifyConfig(String url, String urlEnv, List<String> events, Duration timeout, Integer attempts) {
    public static final Set<String> EVENTS = Set.of("started", "gate-failed", "rolled-back", "released", "act-now");

    public NotifyConfig {
        if ((url == null) == (urlEnv == null)) {
            throw new IllegalArgumentException("the notify section needs url (the webhook's URL) or urlEnv (the variable"
                    + " holding it, for a URL that is a secret such as Slack's), one of them");
        }
        if (url != null) {
            check("notify.url", url);
        }
        if (urlEnv != null && !urlEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("notify.urlEnv must name an environment variable, got '" + urlEnv + "'");
        }
        events = events == null ? List.copyOf(EVENTS) : List.copyOf(events);
        for (String event : events) {
            if (!EVENTS.contains(event)) {
                throw new IllegalArgumentException("notify.events: unknown event '" + event + "'; known: "
                        + EVENTS.stream().sorted().toList());
            }
        }
        timeout = Durations.positive("notify.timeout", timeout, Duration.ofSeconds(5));
        attempts = attempts == null ? 3 : attempts;
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("notify.attempts must be 1-10, got " + attempts);
        }
    }

    /** The webhook's URL: from the config, or from the environment (checked here, never shown). */
    public URI target(java.util.Map<String, String> env) {
        String value = url != null ? url : env.get(urlEnv);
        if (value == null || value.isBlank()) {
            throw new ConfigException("notify.urlEnv: the variable " + urlEnv + " is not set; set it to the webhook's URL");
        }
        return check(url != null ? "notify.url" : "the variable " + urlEnv, value);
    }

    private static URI check(String what, String value) {
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below, without the value: it may be a secret
        }
        throw new IllegalArgumentException(what + " must be an http(s) URL with a host");
    }
}
