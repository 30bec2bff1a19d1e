package dev.switchman.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A window's quantiles from two cumulative readings of the router's latency buckets. */
class LatencyHistogramTest {

    @Test
    void theQuantileIsInterpolatedInsideTheBucketThatHoldsIt() {
        // 100 responses between 100 and 150 ms: the 99th falls 99% of the way through that bucket.
        LatencyHistogram h = with(LatencyHistogram.bucket(120), 100);

        assertThat(h.quantileMillis(0.99).getAsDouble()).isCloseTo(149.5, within(0.01));
        assertThat(h.quantileMillis(0.5).getAsDouble()).isCloseTo(125.0, within(0.01));
    }

    @Test
    void aFewSlowResponsesAmongManyFastOnesSetTheP99OnlyWhenTheyAreMoreThanOnePercent() {
        List<Long> counts = new ArrayList<>(LatencyHistogram.EMPTY.counts());
        counts.set(LatencyHistogram.bucket(3), 995L);
        counts.set(LatencyHistogram.bucket(1800), 5L);
        LatencyHistogram fewSlow = new LatencyHistogram(counts);
        counts.set(LatencyHistogram.bucket(1800), 50L);
        LatencyHistogram manySlow = new LatencyHistogram(counts);

        assertThat(fewSlow.quantileMillis(0.99).getAsDouble()).isLessThanOrEqualTo(5.0);
        assertThat(manySlow.quantileMillis(0.99).getAsDouble()).isBetween(1500.0, 2000.0);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadingsAndNoneWhenACountWentBack() {
        LatencyHistogram before = with(LatencyHistogram.bucket(8), 10);
        LatencyHistogram after = with(LatencyHistogram.bucket(8), 25);

        assertThat(after.since(before).total()).isEqualTo(15);
        assertThat(before.since(after)).as("a restarted router").isNull();
        assertThat(LatencyHistogram.EMPTY.quantileMillis(0.99)).isEmpty();
    }

    @Test
    void aResponseSlowerThanTheLastBoundIsReportedAsThatBound() {
        LatencyHistogram h = with(LatencyHistogram.bucket(60_000), 3);

        assertThat(LatencyHistogram.bucket(60_000)).isEqualTo(LatencyHistogram.BOUNDS_MILLIS.size());
        assertThat(h.quantileMillis(0.99).getAsDouble()).isEqualTo(30_000.0);
        assertThat(LatencyHistogram.bucket(1.0)).as("a bound is inclusive").isZero();
    }

    private static LatencyHistogram with(int bucket, long count) {
        List<Long> counts = new ArrayList<>(LatencyHistogram.EMPTY.counts());
        counts.set(bucket, count);
        return new LatencyHistogram(counts);
    }
}
