package dev.switchman.health.router;

import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Measurement;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.model.Colour;
import dev.switchman.traffic.LatencyHistogram;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Judges a colour by the router's own counters: its error rate between the reading at {@link #open} and the one
 * at each {@link Window#measure}, against {@code maxErrorRate} and, when set, {@code maxP99}. Fewer than {@code minRequests} requests is
 * inconclusive, never a pass; counters that went back (the router restarted) are inconclusive too, and the window
 * starts again from that reading, so a restart can neither pass a window nor hide the errors after it.
 */
public final class RouterCounters implements MetricProvider {
    private final Router router;
    private final double maxErrorRate;
    private final Duration maxP99;
    private final Duration span;
    private final int minRequests;
    private final Clock clock;

    public RouterCounters(Router router, double maxErrorRate, int minRequests, Clock clock) {
        this(router, maxErrorRate, null, null, minRequests, clock);
    }

    /**
     * {@code maxP99}: the bound on the 99th percentile latency, or null for none; {@code span}: how much of the
     * window's most recent traffic is judged (null: all of it since the window opened).
     */
    public RouterCounters(Router router, double maxErrorRate, Duration maxP99, Duration span, int minRequests, Clock clock) {
        this.router = router;
        this.maxErrorRate = maxErrorRate;
        this.maxP99 = maxP99;
        this.span = span;
        this.minRequests = minRequests;
        this.clock = clock;
    }

    @Override
    public boolean readsRouterCounters() {
        return true;
    }

    @Override
    public Future<Window> open(Subject subject) {
        Colour colour = subject.colour();
        return read().transform(start -> Future.succeededFuture(start.succeeded()
                ? new Since(colour, start.result(), null)
                : new Since(colour, null, start.cause())));
    }

    /** The verdict on two readings of the counters: a pure function, tested without any traffic. */
    public static Measurement judge(RouterStatus before, RouterStatus after, Colour colour, double maxErrorRate,
                                    int minRequests, Instant at) {
        return judge(before, after, colour, maxErrorRate, null, minRequests, at);
    }

    /**
     * The same with a bound on the 99th percentile of the window's latency (null: none), from the router's latency
     * histogram: a window within the error rate but slower than the bound fails.
     */
    public static Measurement judge(RouterStatus before, RouterStatus after, Colour colour, double maxErrorRate,
                                    Duration maxP99, int minRequests, Instant at) {
        ErrorRate rate = ErrorRate.between(before, after, colour);
        if (rate.wentBack()) {
            return new Measurement(at, Phase.INCONCLUSIVE, rate.detail(maxErrorRate));
        }
        if (!rate.within(maxErrorRate)) {
            return new Measurement(at, Phase.FAILURE, rate.detail(maxErrorRate));
        }
        if (rate.requests() < minRequests) {
            return new Measurement(at, Phase.INCONCLUSIVE, (rate.requests() == 0 ? "no requests reached " + colour
                    : "only " + rate.requests() + " request(s) reached " + colour) + " in the window (analysis.minRequests is "
                    + minRequests + ")");
        }
        if (maxP99 == null) {
            return new Measurement(at, Phase.SUCCESS, rate.detail(maxErrorRate));
        }
        LatencyHistogram window = after.stats(colour).latency().since(before.stats(colour).latency());
        OptionalDouble p99 = window == null ? OptionalDouble.empty() : window.quantileMillis(0.99);
        if (p99.isEmpty()) {
            return new Measurement(at, Phase.INCONCLUSIVE, rate.detail(maxErrorRate) + "; no latency counted for " + colour
                    + " (the router keeps no latency histogram?)");
        }
        String latency = String.format("p99 %.0f ms (limit %d ms)", p99.getAsDouble(), maxP99.toMillis());
        return new Measurement(at, p99.getAsDouble() > maxP99.toMillis() ? Phase.FAILURE : Phase.SUCCESS,
                rate.detail(maxErrorRate) + ", " + latency);
    }

    /** The router's status; a router that throws instead of failing its future is read as failed. */
    private Future<RouterStatus> read() {
        try {
            return router.status();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Measurement unreadable(Colour colour, String when, Throwable cause) {
        return new Measurement(clock.instant(), Phase.ERROR, colour + ": cannot read the router's counters " + when + ": "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /** One reading of the router's counters and when it was taken. */
    private record Reading(Instant at, RouterStatus status) {}

    /**
     * A window from the first reading, judged over its last {@code span} (all of it while it is younger): a version
     * that slows down or fails late in a long window is not diluted by the good traffic before. When the first
     * reading failed, every measurement is that error, as nothing can be judged.
     */
    private final class Since implements Window {
        private final Colour colour;
        private final List<Reading> readings = new ArrayList<>();
        private final Throwable unread;

        Since(Colour colour, RouterStatus before, Throwable unread) {
            this.colour = colour;
            this.unread = unread;
            if (before != null) {
                readings.add(new Reading(clock.instant(), before));
            }
        }

        @Override
        public Future<Measurement> measure() {
            if (readings.isEmpty()) {
                return Future.succeededFuture(unreadable(colour, "at the start of the window", unread));
            }
            return read().transform(now -> {
                if (now.failed()) {
                    return Future.succeededFuture(unreadable(colour, "at the end of the window", now.cause()));
                }
                Reading latest = new Reading(clock.instant(), now.result());
                if (ErrorRate.between(readings.getLast().status(), latest.status(), colour).wentBack()) {
                    // The restarted router's counters are the window's new start.
                    Measurement judged = judge(readings.getLast().status(), latest.status(), colour, maxErrorRate, maxP99,
                            minRequests, latest.at());
                    readings.clear();
                    readings.add(latest);
                    return Future.succeededFuture(judged);
                }
                readings.add(latest);
                // The base is the newest reading at least span old.
                while (span != null && readings.size() > 2 && !readings.get(1).at().isAfter(latest.at().minus(span))) {
                    readings.removeFirst();
                }
                return Future.succeededFuture(judge(readings.getFirst().status(), latest.status(), colour, maxErrorRate, maxP99,
                        minRequests, latest.at()));
            });
        }
    }
}
