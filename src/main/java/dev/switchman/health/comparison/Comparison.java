package dev.switchman.health.comparison;

import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Measurement;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.health.router.ErrorRate;
import dev.switchman.model.Colour;
import dev.switchman.traffic.LatencyHistogram;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The new colour's error rate and p99 over a window against the live colour's. Once the new colour takes all
 * traffic the live one serves none: it is then compared with the live colour's last window that had traffic in
 * this release (its baseline). No baseline yet, or too few requests on either side, is inconclusive, never a pass.
 */
final class Comparison implements MetricProvider {
    private final Router router;
    private final ComparisonSettings settings;
    private final int minRequests;
    private final Clock clock;
    /** The live colour's last conclusive window: what it did while it still served. */
    private Side baseline;

    Comparison(Router router, ComparisonSettings settings, int minRequests, Clock clock) {
        this.router = router;
        this.settings = settings;
        this.minRequests = minRequests;
        this.clock = clock;
    }

    /** One colour's window: its error rate and p99 (NaN when it counted no latency). */
    record Side(Colour colour, long requests, double errorRate, double p99Millis) {
        static Side of(RouterStatus before, RouterStatus after, Colour colour) {
            ErrorRate rate = ErrorRate.between(before, after, colour);
            if (rate.wentBack()) {
                return null;
            }
            LatencyHistogram window = after.stats(colour).latency().since(before.stats(colour).latency());
            OptionalDouble p99 = window == null ? OptionalDouble.empty() : window.quantileMillis(0.99);
            return new Side(colour, rate.requests(), rate.requests() == 0 ? 0 : (double) rate.errors() / rate.requests(),
                    p99.orElse(Double.NaN));
        }

        String describe() {
            return String.format("%s %.1f%% errors in %d requests%s", colour, errorRate * 100, requests,
                    Double.isNaN(p99Millis) ? "" : String.format(", p99 %.0f ms", p99Millis));
        }
    }

    /** The verdict on the new colour's window against the live one's (or its baseline): a pure function. */
    static Measurement judge(Side judged, Side live, ComparisonSettings settings, int minRequests, Instant at) {
        if (judged == null) {
            return new Measurement(at, Phase.INCONCLUSIVE, "the router's counters went back (it restarted): the window starts again");
        }
        if (live == null) {
            return new Measurement(at, Phase.INCONCLUSIVE, "no window of the live colour with traffic to compare "
                    + judged.colour() + " with yet (" + judged.describe() + ")");
        }
        String both = judged.describe() + " against " + live.describe();
        if (judged.requests() < Math.max(1, minRequests)) {
            return new Measurement(at, Phase.INCONCLUSIVE, "too few requests to compare: " + both);
        }
        if (settings.maxErrorRateIncrease() != null && judged.errorRate() - live.errorRate() > settings.maxErrorRateIncrease()) {
            return new Measurement(at, Phase.FAILURE, String.format("%s: errors more than %.1f points above the live colour's",
                    both, settings.maxErrorRateIncrease() * 100));
        }
        if (settings.maxP99Increase() != null) {
            if (Double.isNaN(judged.p99Millis()) || Double.isNaN(live.p99Millis())) {
                return new Measurement(at, Phase.INCONCLUSIVE, "no latency counted to compare: " + both);
            }
            if (judged.p99Millis() - live.p99Millis() > settings.maxP99Increase().toMillis()) {
                return new Measurement(at, Phase.FAILURE, String.format("%s: p99 more than %d ms above the live colour's",
                        both, settings.maxP99Increase().toMillis()));
            }
        }
        return new Measurement(at, Phase.SUCCESS, both);
    }

    @Override
    public boolean readsRouterCounters() {
        return true;
    }

    @Override
    public Future<Window> open(Subject subject) {
        return read().transform(start -> Future.succeededFuture(new Since(subject, start.succeeded() ? start.result() : null)));
    }

    private Future<RouterStatus> read() {
        try {
            return router.status();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private final class Since implements Window {
        private final Subject subject;
        private RouterStatus before;

        Since(Subject subject, RouterStatus before) {
            this.subject = subject;
            this.before = before;
        }

        @Override
        public Future<Measurement> measure() {
            return read().transform(now -> {
                if (now.failed() || before == null) {
                    if (now.succeeded()) {
                        before = now.result();
                    }
                    String why = now.failed() ? now.cause().getMessage() : "the first reading failed";
                    return Future.succeededFuture(new Measurement(clock.instant(), Phase.ERROR,
                            "cannot read the router's counters: " + why));
                }
                Side judged = Side.of(before, now.result(), subject.colour());
                Side live = subject.liveColour() == null ? null : Side.of(before, now.result(), subject.liveColour());
                if (judged == null || (subject.liveColour() != null && live == null)) {
                    before = now.result();
                    judged = null;
                } else if (live != null && live.requests() >= Math.max(1, minRequests)) {
                    baseline = live;
                }
                return Future.succeededFuture(judge(judged, baseline, settings, minRequests, clock.instant()));
            });
        }
    }
}
