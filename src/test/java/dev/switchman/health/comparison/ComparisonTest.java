package dev.switchman.health.comparison;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Measurement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The new colour judged against the live one: the verdict as a pure function of the two windows. */
class ComparisonTest {
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final ComparisonSettings ONE_POINT = new ComparisonSettings(0.01, null);

    @Test
    void aNewColourFailingMoreThanTheMarginAboveTheLiveOneFails() {
        Measurement m = Comparison.judge(side(GREEN, 100, 0.05, 10), side(BLUE, 900, 0.02, 10), ONE_POINT, 1, AT);

        assertThat(m.phase()).isEqualTo(Phase.FAILURE);
        assertThat(m.detail()).isEqualTo("green 5.0% errors in 100 requests, p99 10 ms against blue 2.0% errors in 900 requests,"
                + " p99 10 ms: errors more than 1.0 points above the live colour's");
    }

    @Test
    void aNewColourAsBadAsTheLiveOneWithinTheMarginPasses() {
        // Both fail 2% (a dependency both share): the new version is no worse, which is what a comparison asks.
        Measurement m = Comparison.judge(side(GREEN, 100, 0.025, 10), side(BLUE, 900, 0.02, 10), ONE_POINT, 1, AT);

        assertThat(m.phase()).isEqualTo(Phase.SUCCESS);
    }

    @Test
    void aSlowerNewColourFailsItsP99Margin() {
        ComparisonSettings latency = new ComparisonSettings(null, Duration.ofMillis(100));

        assertThat(Comparison.judge(side(GREEN, 100, 0, 450), side(BLUE, 900, 0, 300), latency, 1, AT).phase())
                .isEqualTo(Phase.FAILURE);
        assertThat(Comparison.judge(side(GREEN, 100, 0, 350), side(BLUE, 900, 0, 300), latency, 1, AT).phase())
                .isEqualTo(Phase.SUCCESS);
        assertThat(Comparison.judge(side(GREEN, 100, 0, Double.NaN), side(BLUE, 900, 0, 300), latency, 1, AT).phase())
                .as("no latency counted").isEqualTo(Phase.INCONCLUSIVE);
    }

    @Test
    void withoutALiveWindowOrEnoughRequestsThereIsNothingToCompareNeverAPass() {
        assertThat(Comparison.judge(side(GREEN, 100, 0.5, 10), null, ONE_POINT, 1, AT).phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(Comparison.judge(side(GREEN, 3, 0, 10), side(BLUE, 900, 0, 10), ONE_POINT, 10, AT).phase())
                .isEqualTo(Phase.INCONCLUSIVE);
        assertThat(Comparison.judge(null, side(BLUE, 900, 0, 10), ONE_POINT, 1, AT).detail()).contains("went back");
    }

    @Test
    void aComparisonNeedsOneMarginAndSaneValues() {
        assertThatThrownBy(() -> new ComparisonSettings(null, null)).hasMessageContaining("maxErrorRateIncrease");
        assertThatThrownBy(() -> new ComparisonSettings(2.0, null)).hasMessageContaining("between 0 and 1");
    }

    private static Comparison.Side side(dev.switchman.model.Colour colour, long requests, double errorRate, double p99) {
        return new Comparison.Side(colour, requests, errorRate, p99);
    }
}
