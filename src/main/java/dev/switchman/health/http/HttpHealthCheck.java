package dev.switchman.health.http;

import dev.switchman.config.Durations;
import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * Probes {@code GET health.path} on an endpoint until {@code health.successes} consecutive probes succeed (spaced by
 * {@code health.interval}), or {@code health.deadline} passes. A probe succeeds when the status is
 * {@code health.expectStatus} and, when {@code health.jsonField} is set, that field of the JSON body equals
 * {@code health.expectValue}. Each probe is bounded by {@code health.timeout} (a Resilience4j {@link TimeLimiter});
 * a failed probe is retried with exponential backoff from {@code health.interval}, up to five intervals (a
 * Resilience4j {@link Retry}). The clock stamps the measurements and decides the deadline: no probe starts after
 * it, and one still running then is cut short (and, when earlier probes say more, left out of the verdict).
 */
public final class HttpHealthCheck implements HealthCheck, AutoCloseable {
    static final double BACKOFF_MULTIPLIER = 2.0;
    static final int BACKOFF_CAP_INTERVALS = 5;

    /** Runs Resilience4j's waits and time limits; results are brought back to the Vert.x context. */
    private static final class Scheduler {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchman-health-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    private final Vertx vertx;
    private final HttpHealthSettings config;
    private final Clock clock;
    private final Placeholders placeholders;
    private final WebClient client;

    public HttpHealthCheck(Vertx vertx, HttpHealthSettings config, Clock clock) {
        this(vertx, config, clock, new Placeholders(Map.of()));
    }

    /**
     * @param placeholders values for {@code health.expectValue} besides {@code {version}}, which each check adds:
     *                     {@code {app}} and {@code {colour}} where the expected value uses them
     */
    public HttpHealthCheck(Vertx vertx, HttpHealthSettings config, Clock clock, Placeholders placeholders) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.placeholders = placeholders;
        // A fresh connection per probe: a slot must accept new connections, and a hung one is not reused.
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(false)
                .setUserAgent("switchman-health"));
    }

    @Override
    public Future<Verdict> check(Endpoint endpoint, String expectedVersion) {
        String expected = null;
        if (config.jsonField() != null) {
            try {
                expected = placeholders.with(Map.of("version", expectedVersion)).expand(config.expectValue());
            } catch (IllegalArgumentException e) {
                return Future.succeededFuture(new Verdict(false, 0,
                        new Measurement(clock.instant(), Phase.ERROR, "health.expectValue: " + e.getMessage())));
            }
        }
        return new Run(endpoint, expected, vertx.getOrCreateContext()).start();
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * The verdict on the measurements in order: passed when the last {@code successes} of them succeeded. A failing
     * verdict's measurement is the last one when it failed; when the run ended on too few successes, it says so and
     * names the last failure.
     */
    public static Verdict verdict(List<Measurement> measurements, int successes) {
        if (measurements.isEmpty()) {
            return new Verdict(false, 0, null);
        }
        int trailing = 0;
        for (int i = measurements.size() - 1; i >= 0 && measurements.get(i).ok(); i--) {
            trailing++;
        }
        Measurement last = measurements.getLast();
        if (trailing >= successes || !last.ok()) {
            return new Verdict(trailing >= successes, measurements.size(), last);
        }
        String detail = "only " + trailing + " of " + successes + " consecutive probes succeeded before health.deadline";
        int lastFailure = measurements.size() - 1 - trailing;
        if (lastFailure >= 0) {
            detail += "; the last failure: " + measurements.get(lastFailure).detail();
        }
        return new Verdict(false, measurements.size(), new Measurement(last.at(), Phase.FAILURE, detail));
    }

    /** The wait before retry {@code attempt} (1 for the first retry): from the interval, doubling, capped at 5 intervals. */
    static IntervalFunction backoff(HttpHealthSettings config) {
        return IntervalFunction.ofExponentialBackoff(config.interval(), BACKOFF_MULTIPLIER,
                config.interval().multipliedBy(BACKOFF_CAP_INTERVALS));
    }

    /** One check of one endpoint. Measurements are only touched on {@code context}. */
    private final class Run {
        private final Endpoint endpoint;
        private final String expectedValue;
        private final Context context;
        private final Instant deadline;
        private final List<Measurement> measurements = new ArrayList<>();
        private final Promise<Verdict> result = Promise.promise();
        private final Retry retry;

        Run(Endpoint endpoint, String expectedValue, Context context) {
            this.endpoint = endpoint;
            this.expectedValue = expectedValue;
            this.context = context;
            this.deadline = clock.instant().plus(config.deadline());
            IntervalFunction backoff = backoff(config);
            // Empty = the deadline came before the next probe could start: no more retries.
            this.retry = Retry.of("health " + endpoint, RetryConfig.<Optional<Measurement>>custom()
                    .maxAttempts(Integer.MAX_VALUE)
                    .retryOnResult(m -> m.isPresent() && !m.get().ok())
                    .intervalBiFunction((attempt, outcome) -> Math.min(backoff.apply(attempt), remaining().toMillis()))
                    .failAfterMaxAttempts(false)
                    .build());
        }

        Future<Verdict> start() {
            context.runOnContext(v -> round());
            return result.future();
        }

        /** Probes until one succeeds (retrying failures with backoff) or the deadline comes. */
        private void round() {
            CompletionStage<Optional<Measurement>> stage = retry.executeCompletionStage(Scheduler.INSTANCE, this::attempt);
            Future.fromCompletionStage(stage, context).onComplete(ar -> {
                Verdict verdict = verdict(measurements, config.successes());
                long wait = config.interval().toMillis();
                if (verdict.passed() || ar.failed() || ar.result().isEmpty() || !ar.result().get().ok()
                        || remaining().toMillis() <= wait) {
                    result.complete(verdict);
                } else {
                    vertx.setTimer(wait, id -> round());
                }
            });
        }

        /** Called by the retry, on its scheduler or on the context; probes on the context. */
        private CompletionStage<Optional<Measurement>> attempt() {
            Promise<Optional<Measurement>> outcome = Promise.promise();
            context.runOnContext(v -> {
                Duration limit = config.timeout().compareTo(remaining()) <= 0 ? config.timeout() : remaining();
                if (limit.toMillis() < 1) {
                    outcome.complete(Optional.empty());
                    return;
                }
                probe(limit).onComplete(ar -> {
                    ar.result().ifPresent(measurements::add);
                    outcome.complete(ar.result());
                });
            });
            return outcome.future().toCompletionStage();
        }

        /**
         * One GET, bounded by {@code limit}; always succeeds: with a measurement, or empty when the deadline cut the
         * probe short before it answered and earlier measurements say more than that.
         */
        private Future<Optional<Measurement>> probe(Duration limit) {
            CompletionStage<HttpResponse<Buffer>> limited = TimeLimiter.of(limit).executeCompletionStage(Scheduler.INSTANCE,
                    () -> client.get(endpoint.port(), endpoint.host(), config.path())
                            .connectTimeout(limit.toMillis())
                            .idleTimeout(limit.toMillis())
                            .send()
                            .toCompletionStage());
            return Future.fromCompletionStage(limited, context).map(this::judge).map(Optional::of).recover(error -> {
                Throwable cause = unwrap(error);
                boolean cutShort = limit.compareTo(config.timeout()) < 0;
                if (cause instanceof TimeoutException && cutShort && !measurements.isEmpty()) {
                    return Future.succeededFuture(Optional.empty());
                }
                return Future.succeededFuture(Optional.of(new Measurement(clock.instant(), Phase.ERROR, describe(cause, limit))));
            });
        }

        private Measurement judge(HttpResponse<Buffer> response) {
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

        private String describe(Throwable e, Duration limit) {
            if (e instanceof TimeoutException) {
                return "timed out after " + Durations.format(limit) + (limit.compareTo(config.timeout()) < 0
                        ? " (cut short by health.deadline " + Durations.format(config.deadline()) + ")"
                        : " (health.timeout)");
            }
            if (e instanceof ConnectException) {
                String message = String.valueOf(e.getMessage());
                return message.toLowerCase(Locale.ROOT).contains("refused")
                        ? "connection refused by " + endpoint
                        : "cannot connect to " + endpoint + ": " + message;
            }
            if (e instanceof UnknownHostException) {
                return "unknown host " + endpoint.host();
            }
            return "probe of " + endpoint + config.path() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }

        private Duration remaining() {
            return Duration.between(clock.instant(), deadline);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
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
