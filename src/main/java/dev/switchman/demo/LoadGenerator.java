package dev.switchman.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keep-alive HTTP traffic against one address until stopped: {@code connections} lanes, each sending one request
 * after the other on its own pooled connection, three {@code GET /items} to one {@code POST /items}. It counts every
 * request, every failure (a status outside 2xx, a connection error, a reset, a timeout) and the responses per
 * {@code X-App-Version}.
 *
 * <p>{@link #stop()} sends nothing new and waits, bounded, for the requests in flight: those still unanswered at the
 * bound count as failed, so no request goes uncounted.
 */
public final class LoadGenerator {
    public static final int DEFAULT_CONNECTIONS = 8;
    public static final Duration DEFAULT_STOP_BOUND = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final long BACKOFF_MS = 20;
    static final int MAX_EXAMPLES = 5;

    /**
     * What the traffic met. {@code requests} counts every request sent (answered, failed, or abandoned at the stop
     * bound); {@code failureExamples} keeps the first few failure messages; {@code byVersion} counts the responses
     * per {@code X-App-Version} header, for all statuses.
     */
    public record Result(long requests, long failures, List<String> failureExamples, Map<String, Long> byVersion) {
        public Result {
            failureExamples = List.copyOf(failureExamples);
            byVersion = Map.copyOf(byVersion);
        }

        public long successes() {
            return requests - failures;
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final String host;
    private final int port;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Promise<Result> done = Promise.promise();
    private volatile boolean stopping;

    private LoadGenerator(Vertx vertx, String host, int port, int connections) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    public static LoadGenerator start(Vertx vertx, String host, int port) {
        return start(vertx, host, port, DEFAULT_CONNECTIONS);
    }

    public static LoadGenerator start(Vertx vertx, String host, int port, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        LoadGenerator generator = new LoadGenerator(vertx, host, port, connections);
        for (int i = 0; i < connections; i++) {
            generator.next();
        }
        return generator;
    }

    /** The counts so far, while the traffic runs. */
    public Result snapshot() {
        return result(0, null);
    }

    public Future<Result> stop() {
        return stop(DEFAULT_STOP_BOUND);
    }

    /** Sends nothing new; completes once the requests in flight are answered, or at {@code bound}. */
    public Future<Result> stop(Duration bound) {
        stopping = true;
        if (inFlight.get() == 0) {
            finish();
        } else if (!finished.get()) {
            long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> finish());
            done.future().onComplete(ar -> vertx.cancelTimer(timer));
        }
        return done.future();
    }

    private void next() {
        inFlight.incrementAndGet();
        if (stopping) {
            completed();
            return;
        }
        long n = sequence.getAndIncrement();
        boolean post = n % 4 == 3;
        RequestOptions options = new RequestOptions()
                .setHost(host)
                .setPort(port)
                .setMethod(post ? HttpMethod.POST : HttpMethod.GET)
                .setURI("/items")
                .setConnectTimeout(REQUEST_TIMEOUT.toMillis())
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis());
        String what = options.getMethod() + " /items";
        client.request(options)
                .compose(request -> {
                    if (post) {
                        request.putHeader("Content-Type", "application/json");
                        return request.send(new JsonObject().put("title", "load " + n).encode());
                    }
                    return request.send();
                })
                .compose(response -> response.body().map(body -> new Answer(response, body.toString())))
                .onComplete(ar -> {
                    boolean ok = ar.succeeded() && record(ar.result().response(), ar.result().body(), what);
                    if (ar.failed()) {
                        fail(what + ": " + describe(ar.cause()));
                    }
                    completed();
                    if (!stopping) {
                        if (ok) {
                            next();
                        } else {
                            vertx.setTimer(BACKOFF_MS, id -> next());
                        }
                    }
                });
    }

    private record Answer(HttpClientResponse response, String body) {}

    /** Counts an answered request; false when its status is outside 2xx. */
    private boolean record(HttpClientResponse response, String body, String what) {
        if (finished.get()) {
            return true;
        }
        String version = response.getHeader(DemoApp.VERSION_HEADER);
        if (version != null) {
            byVersion.computeIfAbsent(version, v -> new LongAdder()).increment();
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            requests.incrementAndGet();
            return true;
        }
        fail(what + ": HTTP " + status + (version == null ? "" : " from " + version)
                + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length())).strip()));
        return false;
    }

    private void fail(String message) {
        if (finished.get()) {
            return;
        }
        synchronized (examples) {
            requests.incrementAndGet();
            failures.incrementAndGet();
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(message);
            }
        }
    }

    private void completed() {
        if (inFlight.decrementAndGet() == 0 && stopping) {
            finish();
        }
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        int abandoned = inFlight.get();
        Result result = result(abandoned, abandoned == 0 ? null
                : abandoned + " request(s) still unanswered when the traffic stopped");
        client.close();
        done.complete(result);
    }

    private Result result(int abandoned, String abandonedMessage) {
        synchronized (examples) {
            List<String> messages = new ArrayList<>(examples);
            if (abandonedMessage != null && messages.size() < MAX_EXAMPLES) {
                messages.add(abandonedMessage);
            }
            Map<String, Long> versions = new TreeMap<>();
            byVersion.forEach((v, count) -> versions.put(v, count.sum()));
            return new Result(requests.get() + abandoned, failures.get() + abandoned, messages, versions);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
