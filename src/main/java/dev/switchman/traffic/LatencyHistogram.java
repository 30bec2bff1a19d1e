package dev.switchman.traffic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A colour's response times counted into fixed buckets since the router started: the difference of two readings
 * is a window's histogram, and a quantile of it (p99) is estimated as Prometheus's {@code histogram_quantile} does,
 * by linear interpolation inside the bucket that holds it. {@code counts[i]} counts responses up to
 * {@code BOUNDS_MILLIS[i]}, exclusive of the buckets before; the last count is everything slower.
 */
public record LatencyHistogram(List<Long> counts) {
    /** Bucket upper bounds in milliseconds: dense where a web request's p99 bound usually sits. */
    public static final List<Double> BOUNDS_MILLIS = List.of(1.0, 2.0, 5.0, 10.0, 20.0, 35.0, 50.0, 75.0, 100.0, 150.0,
            200.0, 300.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 3000.0, 5000.0, 10000.0, 30000.0);
    public static final LatencyHistogram EMPTY = new LatencyHistogram(Collections.nCopies(BOUNDS_MILLIS.size() + 1, 0L));

    public LatencyHistogram {
        if (counts.size() != BOUNDS_MILLIS.size() + 1) {
            throw new IllegalArgumentException("a latency histogram has " + (BOUNDS_MILLIS.size() + 1) + " buckets, got " + counts.size());
        }
        counts = List.copyOf(counts);
    }

    /** The bucket a response of {@code millis} falls in. */
    public static int bucket(double millis) {
        for (int i = 0; i < BOUNDS_MILLIS.size(); i++) {
            if (millis <= BOUNDS_MILLIS.get(i)) {
                return i;
            }
        }
        return BOUNDS_MILLIS.size();
    }

    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** What was counted since {@code before}; null when a count went back (the router restarted). */
    public LatencyHistogram since(LatencyHistogram before) {
        List<Long> window = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            long d = counts.get(i) - before.counts.get(i);
            if (d < 0) {
                return null;
            }
            window.add(d);
        }
        return new LatencyHistogram(window);
    }

    /**
     * The estimated {@code q} quantile in milliseconds, empty when nothing was counted. A quantile in the last,
     * unbounded bucket is reported as its lower bound: slower than that, which is all a bound needs to know.
     */
    public OptionalDouble quantileMillis(double q) {
        long total = total();
        if (total == 0) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.size(); i++) {
            long in = counts.get(i);
            if (in > 0 && below + in >= rank) {
                if (i == BOUNDS_MILLIS.size()) {
                    return OptionalDouble.of(BOUNDS_MILLIS.getLast());
                }
                double lower = i == 0 ? 0 : BOUNDS_MILLIS.get(i - 1);
                double upper = BOUNDS_MILLIS.get(i);
                return OptionalDouble.of(lower + (upper - lower) * (rank - below) / in);
            }
            below += in;
        }
        return OptionalDouble.of(BOUNDS_MILLIS.getLast());
    }
}
