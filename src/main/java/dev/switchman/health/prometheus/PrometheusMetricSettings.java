package dev.switchman.health.prometheus;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Placeholders;
import java.time.Duration;
import java.util.Set;

/**
 * {@code type: prometheus}: a PromQL instant query, judged by a condition on its one value. {@code url}: the
 * Prometheus server ({@code http(s)://host:port}, with a path prefix if it is served under one); {@code query}: the
 * PromQL, with the subject's placeholders; {@code successCondition}: e.g. {@code "< 0.01"}; {@code timeout}: how long
 * one query may take (5s); {@code tokenEnv}: the environment variable holding a bearer token, if the server wants one.
 */
public record PrometheusMetricSettings(String url, String query, String successCondition, Duration timeout, String tokenEnv)
        implements KindSettings {
    /** The placeholders a query may name: those of the subject being judged. */
    public static final Set<String> PLACEHOLDERS = Set.of("app", "colour", "version", "live.colour", "live.version");

    public PrometheusMetricSettings {
        url = HttpSource.url("url", url, "the Prometheus server, e.g. http://prometheus:9090");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query is required: a PromQL expression giving one value, e.g."
                    + " sum(rate(http_requests_total{colour=\"{colour}\",code=~\"5..\"}[1m]))");
        }
        Placeholders.check("query", query, PLACEHOLDERS);
        Condition.parse("successCondition", successCondition);
        timeout = Durations.positive("timeout", timeout, Duration.ofSeconds(5));
        tokenEnv = HttpSource.envName("tokenEnv", tokenEnv);
    }

    public Condition condition() {
        return Condition.parse("successCondition", successCondition);
    }
}
