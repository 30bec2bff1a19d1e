package dev.switchman.health.webhook;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.health.prometheus.HttpSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Asks the user's own service for a verdict: each measurement POSTs what is judged (application, colour, version,
 * the live colour and version, when the window started) and reads the answer with {@link WebhookVerdict}.
 */
public final class Webhook implements MetricProvider {
    private final WebhookSettings settings;
    private final Clock clock;
    private final UnaryOperator<String> env;
    // One client for the provider's life: closed with the Vert.x instance, as a metric has no close of its own.
    private final WebClient client;

    public Webhook(Vertx vertx, WebhookSettings settings, Clock clock, UnaryOperator<String> env) {
        this.settings = settings;
        this.clock = clock;
        this.env = env;
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("switchman-analysis"));
    }

    @Override
    public Future<Window> open(Subject subject) {
        JsonObject body = body(subject, clock.instant());
        return Future.succeededFuture(() -> measure(subject, body));
    }

    /** What the webhook is told; null where nothing was live before (a first release). */
    static JsonObject body(Subject subject, Instant windowStart) {
        return new JsonObject()
                .put("application", subject.application())
                .put("colour", subject.colour().id())
                .put("version", subject.version())
                .put("liveColour", subject.liveColour() == null ? null : subject.liveColour().id())
                .put("liveVersion", subject.liveVersion())
                .put("windowStart", windowStart.toString());
    }

    private Future<Measurement> measure(Subject subject, JsonObject body) {
        HttpRequest<Buffer> request = client.postAbs(settings.url()).timeout(settings.timeout().toMillis());
        try {
            String token = HttpSource.token(settings.tokenEnv(), env);
            if (token != null) {
                request.bearerTokenAuthentication(token);
            }
        } catch (IllegalStateException e) {
            return Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR, subject.colour() + ": " + e.getMessage()));
        }
        return request.sendJsonObject(body)
                .map(r -> WebhookVerdict.judge(r.statusCode(), r.bodyAsString(), subject.colour(), clock.instant()))
                .otherwise(e -> new Measurement(clock.instant(), Phase.ERROR, subject.colour() + ": "
                        + HttpSource.failure(e, "the webhook at " + settings.url(), settings.timeout())));
    }
}
