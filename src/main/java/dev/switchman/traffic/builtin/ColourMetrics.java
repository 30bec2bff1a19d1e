package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.LatencyHistogram;
import dev.switchman.traffic.RouterStatus.ColourStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The counters of one colour, both for the admin API's status and as Prometheus meters. */
final class ColourMetrics {

    /** How a routed request ended. */
    enum Outcome {
        /** The upstream answered below 500 and the client got all of it. */
        SUCCESS,
        /** The upstream refused, reset or timed out, or answered 5xx: these decide a release. */
        ERROR,
        /** The client went away before the response ended: shown, never an error. */
        CLIENT_ABORT
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder clientAborts = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder completed = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LatencyHistogram.EMPTY.counts().size()];
    private final MeterRegistry registry;
    private final String colour;
    private final IntSupplier weight;
    /** The Prometheus meters, labelled with the version the colour runs: replaced when that changes. */
    private volatile Meters meters;

    /** The meters of one colour and version. */
    private record Meters(String version, Counter success, Counter error, Counter clientAbort, Counter retry,
                          Timer duration, Gauge weight, Gauge inFlight) {
        void removeFrom(MeterRegistry registry) {
            for (var meter : List.of(success, error, clientAbort, retry, duration, weight, inFlight)) {
                registry.remove(meter);
            }
        }
    }

    ColourMetrics(Colour colour, MeterRegistry registry, IntSupplier weight) {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
        this.registry = registry;
        this.colour = colour.id();
        this.weight = weight;
        this.meters = register("");
    }

    /**
     * Labels the colour's meters with {@code version} (null: not known, an empty label) from now on: the series
     * of the version before are dropped, as the slot no longer runs it, and the new one's start from zero.
     */
    void version(String version) {
        String label = version == null ? "" : version;
        Meters before = meters;
        if (!before.version().equals(label)) {
            meters = register(label);
            before.removeFrom(registry);
        }
    }

    private Meters register(String version) {
        String answered = "Requests the router answered, by colour and outcome "
                + "(error: the upstream refused, reset or timed out, or answered 5xx)";
        return new Meters(version,
                Counter.builder("switchman.router.requests").description(answered)
                        .tags("colour", colour, "version", version, "outcome", "success").register(registry),
                Counter.builder("switchman.router.requests").description(answered)
                        .tags("colour", colour, "version", version, "outcome", "error").register(registry),
                Counter.builder("switchman.router.client.aborts")
                        .description("Requests whose client went away before the response ended, by colour (not errors)")
                        .tags("colour", colour, "version", version).register(registry),
                Counter.builder("switchman.router.retried")
                        .description("Requests the colour could not take (its endpoint refused the connection, or every "
                                + "one of its endpoints was down) that the router sent to another endpoint, by that colour")
                        .tags("colour", colour, "version", version).register(registry),
                Timer.builder("switchman.router.request.duration")
                        .description("Time from routing a request to the end of its response")
                        .tags("colour", colour, "version", version)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry),
                Gauge.builder("switchman.router.weight", weight, w -> w.getAsInt())
                        .description("The weight (0-100) the router gives the colour now")
                        .tags("colour", colour, "version", version).strongReference(true).register(registry),
                Gauge.builder("switchman.router.in.flight", inFlight, AtomicLong::get)
                        .description("Requests to the colour being served now")
                        .tags("colour", colour, "version", version).strongReference(true).register(registry));
    }

    /** Counts a routed request; the returned flight must be finished exactly once, extra calls are ignored. */
    Flight start() {
        requests.increment();
        inFlight.incrementAndGet();
        return new Flight(System.nanoTime());
    }

    /**
     * Counts a request routed to this colour while none of its endpoints was up, which another endpoint serves: an
     * error of this colour, as it could not serve it, with no latency, since nothing was sent to it.
     */
    void unreachable() {
        requests.increment();
        errors.increment();
        meters.error().increment();
    }

    /** Counts a request this colour could not take that was sent to another endpoint. */
    void retried() {
        retried.increment();
        meters.retry().increment();
    }

    long retriedCount() {
        return retried.sum();
    }

    long inFlight() {
        return inFlight.get();
    }

    ColourStats stats() {
        long done = completed.sum();
        double mean = done == 0 ? 0 : latencyNanos.sum() / (double) done / 1_000_000.0;
        List<Long> buckets = new ArrayList<>(latencyBuckets.length);
        for (LongAdder bucket : latencyBuckets) {
            buckets.add(bucket.sum());
        }
        return new ColourStats(requests.sum(), errors.sum(), inFlight.get(), mean, clientAborts.sum(), new LatencyHistogram(buckets));
    }

    /**
     * One routed request until it ends. It is also the exception handler of the client's connection, so that a
     * client that broke off (a reset, say) is known before the proxy reacts to it by resetting the upstream request.
     */
    final class Flight implements Handler<Throwable> {
        private final long startNanos;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile boolean clientBroke;

        private Flight(long startNanos) {
            this.startNanos = startNanos;
        }

        /** The client's connection failed. */
        @Override
        public void handle(Throwable failure) {
            clientBroke = true;
        }

        boolean clientBroke() {
            return clientBroke;
        }

        void finish(Outcome outcome) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            inFlight.decrementAndGet();
            if (outcome == Outcome.CLIENT_ABORT) {
                // No response ended: its time is the client's patience, not the upstream's latency.
                clientAborts.increment();
                meters.clientAbort().increment();
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            completed.increment();
            latencyNanos.add(nanos);
            latencyBuckets[LatencyHistogram.bucket(nanos / 1_000_000.0)].increment();
            Meters now = meters;
            now.duration().record(nanos, TimeUnit.NANOSECONDS);
            if (outcome == Outcome.ERROR) {
                errors.increment();
                now.error().increment();
            } else {
                now.success().increment();
            }
        }
    }
}
