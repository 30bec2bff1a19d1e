package dev.switchman.health.router;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.MetricProvider;
import dev.switchman.model.Colour;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;

/**
 * Judges a colour by the router's own counters: its error rate between the reading at {@link #open} and the one
 * at each {@link Window#measure}, against {@code maxErrorRate}.
 */
public final class RouterCounters implements MetricProvider {
    private final Router router;
    private final double maxErrorRate;
    private final Clock clock;

    public RouterCounters(Router router, double maxErrorRate, Clock clock) {
        this.router = router;
        this.maxErrorRate = maxErrorRate;
        this.clock = clock;
    }

    @Override
    public Future<Window> open(Colour colour) {
        return read().transform(start -> Future.succeededFuture(start.succeeded()
                ? new Since(colour, start.result(), null)
                : new Since(colour, null, start.cause())));
    }

    /** The verdict on two readings of the counters: a pure function, tested without any traffic. */
    public static Measurement judge(RouterStatus before, RouterStatus after, Colour colour, double maxErrorRate, Instant at) {
        ErrorRate rate = ErrorRate.between(before, after, colour);
        return new Measurement(at, rate.within(maxErrorRate) ? Phase.SUCCESS : Phase.FAILURE, rate.detail(maxErrorRate));
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
        private final RouterStatus before;
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
            return read().transform(now -> Future.succeededFuture(now.succeeded()
                    ? judge(before, now.result(), colour, maxErrorRate, clock.instant())
                    : unreadable(colour, "at the end of the window", now.cause())));
        }
    }
}
