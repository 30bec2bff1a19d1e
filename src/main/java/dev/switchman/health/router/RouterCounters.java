package dev.switchman.health.router;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.model.Colour;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;

/**
 * Judges a colour by the router's own counters: its error rate between the reading at {@link #open} and the one
 * at each {@link Window#measure}, against {@code maxErrorRate}. Fewer than {@code minRequests} requests is
 * inconclusive, never a pass; counters that went back (the router restarted) are inconclusive too, and the window
 * starts again from that reading, so a restart can neither pass a window nor hide the errors after it.
 */
public final class RouterCounters implements MetricProvider {
    private final Router router;
    private final double maxErrorRate;
    private final int minRequests;
    private final Clock clock;

    public RouterCounters(Router router, double maxErrorRate, int minRequests, Clock clock) {
        this.router = router;
        this.maxErrorRate = maxErrorRate;
        this.minRequests = minRequests;
        this.clock = clock;
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
        return new Measurement(at, Phase.SUCCESS, rate.detail(maxErrorRate));
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

    /** A window from the first reading; when that failed, every measurement is that error, as nothing can be judged. */
    private final class Since implements Window {
        private final Colour colour;
        private RouterStatus before;
        private final Throwable unread;

        Since(Colour colour, RouterStatus before, Throwable unread) {
            this.colour = colour;
            this.before = before;
            this.unread = unread;
        }

        @Override
        public Future<Measurement> measure() {
            if (before == null) {
                return Future.succeededFuture(unreadable(colour, "at the start of the window", unread));
            }
            return read().transform(now -> {
                if (now.failed()) {
                    return Future.succeededFuture(unreadable(colour, "at the end of the window", now.cause()));
                }
                Measurement judged = judge(before, now.result(), colour, maxErrorRate, minRequests, clock.instant());
                if (ErrorRate.between(before, now.result(), colour).wentBack()) {
                    before = now.result(); // the restarted router's counters are the window's new start
                }
                return Future.succeededFuture(judged);
            });
        }
    }
}
