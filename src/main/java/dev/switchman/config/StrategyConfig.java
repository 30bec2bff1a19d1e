package dev.switchman.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.List;

/**
 * A strategy file ({@code strategies/*.yaml}): the weights the new version takes, one step after the other, each followed
 * by a pause, and how long both colours are watched before contract. Throughout each pause and the bake the new
 * colour is judged every {@code analysis.interval}: the share of its requests that failed (counted by the router)
 * must stay within {@code maxErrorRate}, and the first judgement that fails ends the window.
 */
public record StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate, Analysis analysis) {

    /**
     * {@code analysis}: how often a window is judged, and what a window with too little traffic to judge does.
     * {@code minRequests}: fewer requests than this in a window is <em>inconclusive</em>, never a pass;
     * {@code onInconclusive}: {@code fail} (the default: no data is no evidence), {@code wait} (keep judging, up to
     * {@code inconclusiveDeadline} more, until enough traffic came) or {@code pass} (with a warning in the output
     * and the event log).
     */
    public record Analysis(Duration interval, Integer minRequests, Inconclusive onInconclusive, Duration inconclusiveDeadline) {
        public Analysis {
            interval = Durations.positive("analysis.interval", interval, Duration.ofSeconds(1));
            minRequests = minRequests == null ? 1 : minRequests;
            if (minRequests < 0) {
                throw new IllegalArgumentException("analysis.minRequests must be 0 or more, got " + minRequests);
            }
            onInconclusive = onInconclusive == null ? Inconclusive.FAIL : onInconclusive;
            inconclusiveDeadline = Durations.positive("analysis.inconclusiveDeadline", inconclusiveDeadline, Duration.ofMinutes(5));
        }

        public static Analysis defaults() {
            return new Analysis(null, null, null, null);
        }
    }

    /** What a window too thin to judge does. */
    public enum Inconclusive {
        FAIL, WAIT, PASS;

        @JsonCreator
        static Inconclusive of(String value) {
            for (Inconclusive i : values()) {
                if (i.name().equalsIgnoreCase(value)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("analysis.onInconclusive must be fail, wait or pass, got '" + value + "'");
        }
    }

    public StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate) {
        this(name, steps, bake, maxErrorRate, null);
    }

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
        analysis = analysis == null ? Analysis.defaults() : analysis;
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
