package dev.switchman.health.prometheus;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.config.Placeholders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * Judges a colour by a PromQL instant query: Prometheus keeps the window itself (the range inside the query, such
 * as {@code rate(...[1m])}), so each measurement asks it again and judges its one value by the condition.
 */
public final class PrometheusQuery implements MetricProvider {
    private final PrometheusMetricSettings settings;
    private final Condition condition;
    private final Clock clock;
    private final UnaryOperator<String> env;
    // One client for the provider's life: closed with the Vert.x instance, as a metric has no close of its own.
    private final WebClient client;

    public PrometheusQuery(Vertx vertx, PrometheusMetricSettings settings, Clock clock, UnaryOperator<String> env) {
        this.settings = settings;
        this.condition = settings.condition();
        this.clock = clock;
        this.env = env;
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("switchman-analysis"));
    }

    @Override
    public Future<Window> open(Subject subject) {
        String query = new Placeholders(subject.placeholders()).expand(settings.query());
        return Future.succeededFuture(() -> measure(subject, query));
    }

    private Future<Measurement> measure(Subject subject, String query) {
        String where = "Prometheus at " + settings.url();
        HttpRequest<Buffer> request = client.getAbs(settings.url() + "/api/v1/query")
                .addQueryParam("query", query)
                .timeout(settings.timeout().toMillis());
        try {
            String token = HttpSource.token(settings.tokenEnv(), env);
            if (token != null) {
                request.bearerTokenAuthentication(token);
            }
        } catch (IllegalStateException e) {
            return Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR, subject.colour() + ": " + e.getMessage()));
        }
        return request.send()
                .map(r -> PrometheusVerdict.judge(r.statusCode(), r.bodyAsString(), condition, subject.colour(), clock.instant()))
                .otherwise(e -> new Measurement(clock.instant(), Phase.ERROR, subject.colour() + ": "
                        + HttpSource.failure(e, where, settings.timeout())));
    }
}
