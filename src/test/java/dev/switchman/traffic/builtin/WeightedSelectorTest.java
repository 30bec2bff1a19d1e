package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightedSelectorTest {

    private static final List<Endpoint> BLUE_ENDPOINTS = List.of(Endpoint.parse("127.0.0.1:8081"));
    private static final List<Endpoint> GREEN_ENDPOINTS = List.of(Endpoint.parse("127.0.0.1:8082"), Endpoint.parse("127.0.0.1:8083"));

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 30, 50, 70, 99, 100})
    void everyHundredPicksFollowTheWeightsExactly(int greenWeight) {
        WeightedSelector selector = new WeightedSelector(TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, greenWeight));
        for (int round = 0; round < 3; round++) {
            Map<Colour, Integer> counts = new EnumMap<>(Colour.class);
            for (int i = 0; i < 100; i++) {
                counts.merge(selector.next().colour(), 1, Integer::sum);
            }
            assertThat(counts.getOrDefault(GREEN, 0)).isEqualTo(greenWeight);
            assertThat(counts.getOrDefault(BLUE, 0)).isEqualTo(100 - greenWeight);
        }
    }

    @Test
    void picksAreInterleavedNotInBursts() {
        WeightedSelector selector = new WeightedSelector(TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, 50));
        List<Colour> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(selector.next().colour());
        }
        assertThat(picks).containsExactly(BLUE, GREEN, BLUE, GREEN, BLUE, GREEN);

        WeightedSelector tenPercent = new WeightedSelector(TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, 10));
        int longestBlueRun = 0;
        int run = 0;
        for (int i = 0; i < 100; i++) {
            run = tenPercent.next().colour() == BLUE ? run + 1 : 0;
            longestBlueRun = Math.max(longestBlueRun, run);
        }
        assertThat(longestBlueRun).isLessThanOrEqualTo(9);
    }

    @Test
    void theEndpointsOfAColourTakeTurns() {
        WeightedSelector selector = new WeightedSelector(TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, 100));
        assertThat(List.of(selector.next().endpoint(), selector.next().endpoint(), selector.next().endpoint()))
                .containsExactly(GREEN_ENDPOINTS.get(0), GREEN_ENDPOINTS.get(1), GREEN_ENDPOINTS.get(0));
    }

    @Test
    void nextUpPassesOverEndpointsThatAreDownWhateverTheColoursWeight() {
        WeightedSelector selector = new WeightedSelector(TrafficTarget.split(BLUE, BLUE_ENDPOINTS, GREEN_ENDPOINTS, 100));
        Set<Endpoint> down = new HashSet<>(Set.of(GREEN_ENDPOINTS.get(0)));
        assertThat(List.of(selector.nextUp(GREEN, down::contains), selector.nextUp(GREEN, down::contains)))
                .containsExactly(GREEN_ENDPOINTS.get(1), GREEN_ENDPOINTS.get(1));
        assertThat(selector.nextUp(BLUE, down::contains)).as("blue, at weight 0").isEqualTo(BLUE_ENDPOINTS.get(0));

        down.addAll(GREEN_ENDPOINTS);
        assertThat(selector.nextUp(GREEN, down::contains)).isNull();
        down.clear();
        assertThat(List.of(selector.next().endpoint(), selector.nextUp(GREEN, down::contains), selector.next().endpoint()))
                .as("one rotation for both").containsExactly(GREEN_ENDPOINTS.get(0), GREEN_ENDPOINTS.get(1), GREEN_ENDPOINTS.get(0));

        WeightedSelector blueOnly = new WeightedSelector(new TrafficTarget(Map.of(BLUE, new TrafficTarget.Backend(BLUE_ENDPOINTS, 100))));
        assertThat(blueOnly.nextUp(GREEN, down::contains)).as("a colour the target does not list").isNull();
    }
}
