package dev.switchman.health.http;

import dev.switchman.config.Placeholders;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Probe;
import dev.switchman.health.ProbeErrors;
import dev.switchman.health.ProbeLoop;
import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One {@code GET health.path} on an endpoint, judged: it succeeds when the status is {@code health.expectStatus}
 * and, when {@code health.jsonField} is set, that field of the JSON body equals {@code health.expectValue}. When
 * and how often to probe is the {@link ProbeLoop}'s business.
 */
public final class HttpHealthCheck implements Probe, AutoCloseable {
    private final HttpHealthSettings config;
    private final Clock clock;
    private final Placeholders placeholders;
    private final WebClient client;

    public HttpHealthCheck(Vertx vertx, HttpHealthSettings config, Clock clock) {
        this(vertx, config, clock, new Placeholders(Map.of()));
    }

    /**
     * @param placeholders values for {@code health.expectValue} besides {@code {version}}, which each probe adds:
     *                     {@code {app}} and {@code {colour}} where the expected value uses them
     */
    public HttpHealthCheck(Vertx vertx, HttpHealthSettings config, Clock clock, Placeholders placeholders) {
        this.config = config;
        this.clock = clock;
        this.placeholders = placeholders;
        // A fresh connection per probe: a slot must accept new connections, and a hung one is not reused.
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(false)
                .setUserAgent("switchman-health"));
    }

    @Override
    public Future<Measurement> probe(Endpoint endpoint, String expectedVersion, Duration limit) {
        String expected = null;
        if (config.jsonField() != null) {
            try {
                expected = placeholders.with(Map.of("version", expectedVersion)).expand(config.expectValue());
            } catch (IllegalArgumentException e) {
                return Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR, "health.expectValue: " + e.getMessage()));
            }
        }
        String expectedValue = expected;
        // The client's own timeouts only release the connection: the loop has stopped waiting by then.
        return client.get(endpoint.port(), endpoint.host(), config.path())
                .connectTimeout(limit.toMillis())
                .idleTimeout(limit.toMillis())
                .send()
                .map(response -> judge(response, expectedValue))
                .recover(e -> Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR, ProbeErrors.describe(e, endpoint, limit, endpoint + config.path()))));
    }

    @Override
    public void close() {
        client.close();
    }

    private Measurement judge(HttpResponse<Buffer> response, String expectedValue) {
        Instant at = clock.instant();
        int status = response.statusCode();
        if (status != config.expectStatus()) {
            return new Measurement(at, Phase.FAILURE, "status " + status + " instead of " + config.expectStatus());
        }
        if (config.jsonField() == null) {
            return new Measurement(at, Phase.SUCCESS, "status " + status);
        }
        String field = config.jsonField();
        Object json;
        try {
            Buffer body = response.body();
            json = body == null ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            json = null;
        }
        if (!(json instanceof JsonObject object)) {
            return new Measurement(at, Phase.FAILURE, "body is not a JSON object, so field '" + field
                    + "' cannot be read (expected '" + expectedValue + "')");
        }
        Object value = field(object, field);
        if (value == null) {
            return new Measurement(at, Phase.FAILURE, "field '" + field + "' is missing (expected '" + expectedValue + "')");
        }
        String found = value instanceof String s ? s : Json.encode(value);
        if (!found.equals(expectedValue)) {
            return new Measurement(at, Phase.FAILURE, "field '" + field + "' was '" + found + "' expected '" + expectedValue + "'");
        }
        return new Measurement(at, Phase.SUCCESS, "status " + status + ", field '" + field + "' is '" + found + "'");
    }

    /** A dot-separated path into a JSON object ({@code build.version}); array elements by index ({@code items.0}). */
    static Object field(JsonObject json, String path) {
        Object current = json;
        for (String key : path.split("\\.")) {
            if (current instanceof JsonObject object) {
                current = object.getValue(key);
            } else if (current instanceof JsonArray array && key.matches("\\d+") && Integer.parseInt(key) < array.size()) {
                current = array.getValue(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return current;
    }
}
