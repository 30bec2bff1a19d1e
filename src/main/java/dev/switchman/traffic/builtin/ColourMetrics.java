package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus.ColourStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The counters of one colour, both for the admin API's status and as Prometheus meters. */
final class ColourMetrics {

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder completed = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final Counter success;
    private final Counter error;
    private final Timer duration;

    ColourMetrics(Colour colour, MeterRegistry registry, IntSupplier weight) {
        String tag = colour.id();
        success = Counter.builder("switchman.router.requests")
                .description("Requests the router answered, by colour and outcome (error: 5xx or proxy failure)")
                .tags("colour", tag, "outcome", "success").register(registry);
        error = Counter.builder("switchman.router.requests")
                .description("Requests the router answered, by colour and outcome (error: 5xx or proxy failure)")
                .tags("colour", tag, "outcome", "error").register(registry);
        duration = Timer.builder("switchman.router.request.duration")
                .description("Time from routing a request to the end of its response")
                .tag("colour", tag)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("switchman.router.weight", weight, w -> w.getAsInt())
                .description("The weight (0-100) the router gives the colour now")
                .tag("colour", tag).strongReference(true).register(registry);
        Gauge.builder("switchman.router.in.flight", inFlight, AtomicLong::get)
                .description("Requests to the colour being served now")
                .tag("colour", tag).strongReference(true).register(registry);
    }

    /** Counts a routed request; the returned flight must be finished exactly once, extra calls are ignored. */
    Flight start() {
        requests.increment();
        inFlight.incrementAndGet();
        return new Flight(System.nanoTime());
    }

    long inFlight() {
        return inFlight.get();
    }

    ColourStats stats() {
        long done = completed.sum();
        double mean = done == 0 ? 0 : latencyNanos.sum() / (double) done / 1_000_000.0;
        return new ColourStats(requests.sum(), errors.sum(), inFlight.get(), mean);
    }

    final class Flight {
        private final long startNanos;
        private final AtomicBoolean finished = new AtomicBoolean();

        private Flight(long startNanos) {
            this.startNanos = startNanos;
        }

        void finish(boolean failed) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            inFlight.decrementAndGet();
            completed.increment();
            latencyNanos.add(nanos);
            duration.record(nanos, TimeUnit.NANOSECONDS);
            if (failed) {
                errors.increment();
                error.increment();
            } else {
                success.increment();
            }
        }
    }
}
