package dev.switchman.config;

import java.time.Duration;
import java.util.List;

/**
 * A strategy file ({@code strategies/*.yaml}): the weights the new version takes, one step after the other, each followed
 * by a pause, and how long both colours are watched before contract. After each pause and the bake, the share of
 * the new colour's requests that failed (counted by the router) must stay within {@code maxErrorRate}.
 */
public record StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate) {

    public record Step(Integer weight, Duration pause) {
        public Step {
            if (weight == null || weight < 1 || weight > 100) {
                throw new IllegalArgumentException("steps[].weight must be between 1 and 100 (the new version's share), got " + weight);
            }
            pause = Durations.notNegative("steps[].pause", pause, Duration.ZERO);
        }
    }

    public StrategyConfig {
        name = name == null ? "unnamed" : name;
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("steps must list at least one step; the last one must be weight 100");
        }
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).weight() <= steps.get(i - 1).weight()) {
                throw new IllegalArgumentException("steps must increase the new version's weight, but step " + (i + 1)
                        + " (" + steps.get(i).weight() + ") follows " + steps.get(i - 1).weight());
            }
        }
        if (steps.getLast().weight() != 100) {
            throw new IllegalArgumentException("the last step must send 100 to the new version, got " + steps.getLast().weight());
        }
        bake = Durations.notNegative("bake", bake, Duration.ZERO);
        maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
        if (maxErrorRate < 0 || maxErrorRate > 1) {
            throw new IllegalArgumentException("maxErrorRate must be between 0 and 1 (a share of requests), got " + maxErrorRate);
        }
    }

    public static StrategyConfig blueGreen(Duration bake) {
        return new StrategyConfig("blue-green", List.of(new Step(100, Duration.ZERO)), bake, null);
    }

    /** The configured waits: what a release spends waiting by design, as opposed to doing work. */
    public Duration configuredWaits() {
        return steps.stream().map(Step::pause).reduce(bake, Duration::plus);
    }
}
