package dev.switchman.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A strategy file ({@code strategies/*.yaml}): the steps that move traffic to the new version (shift to a share,
 * analyse, pause, wait for approval), how long both colours are watched before contract, and whether contract waits
 * for a person's {@code switchman promote}. Throughout every analyse, pause and approval, and the whole bake, the new
 * colour is judged every {@code analysis.interval} by the strategy's metrics, and the first failing judgement ends
 * the window and rolls the release back.
 */
public record StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate, Analysis analysis,
                             Approval approveContract) {

    /**
     * {@code analysis}: how often a window is judged, what a window with too little traffic to judge does, and the
     * metrics that judge it. {@code minRequests}: fewer requests than this in a window is <em>inconclusive</em>,
     * never a pass; {@code onInconclusive}: {@code fail} (the default: no data is no evidence), {@code wait} (keep
     * judging, up to {@code inconclusiveDeadline} more, until enough traffic came) or {@code pass} (with a warning in
     * the output and the event log). {@code metrics}: none written means the router's own counters against
     * {@code maxErrorRate}; an empty list means the strategy accepts no analysis (health checks only).
     */
    public record Analysis(Duration interval, Integer minRequests, Inconclusive onInconclusive, Duration inconclusiveDeadline,
                           List<Metric> metrics) {
        public Analysis {
            interval = Durations.positive("analysis.interval", interval, Duration.ofSeconds(1));
            minRequests = minRequests == null ? 1 : minRequests;
            if (minRequests < 0) {
                throw new IllegalArgumentException("analysis.minRequests must be 0 or more, got " + minRequests);
            }
            onInconclusive = onInconclusive == null ? Inconclusive.FAIL : onInconclusive;
            inconclusiveDeadline = Durations.positive("analysis.inconclusiveDeadline", inconclusiveDeadline, Duration.ofMinutes(5));
            metrics = metrics == null ? null : List.copyOf(metrics);
        }

        public Analysis(Duration interval, Integer minRequests, Inconclusive onInconclusive, Duration inconclusiveDeadline) {
            this(interval, minRequests, onInconclusive, inconclusiveDeadline, null);
        }

        public static Analysis defaults() {
            return new Analysis(null, null, null, null, null);
        }

        public Analysis withMetrics(List<Metric> written) {
            return new Analysis(interval, minRequests, onInconclusive, inconclusiveDeadline, written);
        }
    }

    /**
     * One metric of {@code analysis.metrics}: its kind's settings, read and validated by the kind, and what every
     * kind shares: how often it is measured ({@code interval}, the analysis's by default), how many failing
     * measurements in a row fail the window ({@code failureLimit}, 1 by default) and how many inconclusive ones in a
     * row make the window inconclusive at once ({@code inconclusiveLimit}; by default the window is judged at its end).
     */
    public record Metric(String type, Duration interval, Integer failureLimit, Integer inconclusiveLimit, KindSettings settings) {
        public static final List<String> SHARED_KEYS = List.of("type", "interval", "failureLimit", "inconclusiveLimit");

        public Metric {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("a metric needs a type (e.g. router, prometheus, webhook, comparison)");
            }
            interval = interval == null ? null : Durations.positive("interval", interval, null);
            failureLimit = failureLimit == null ? 1 : failureLimit;
            if (failureLimit < 1) {
                throw new IllegalArgumentException("failureLimit must be at least 1, got " + failureLimit);
            }
            if (inconclusiveLimit != null && inconclusiveLimit < 1) {
                throw new IllegalArgumentException("inconclusiveLimit must be at least 1 (or left out), got " + inconclusiveLimit);
            }
        }

        public Kind kind() {
            return new Kind("analysis.metrics", type, settings);
        }

        /** How often this metric is measured, given the analysis's interval. */
        public Duration interval(Analysis analysis) {
            return interval == null ? analysis.interval() : interval;
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

    /** A wait for {@code switchman promote}; past {@code deadline} (if any) the release rolls back. */
    public record Approval(Duration deadline) {
        public Approval {
            deadline = deadline == null ? null : Durations.positive("approve.deadline", deadline, null);
        }
    }

    /**
     * One step, doing one thing: {@code shift: N} gives the new version N% of traffic; {@code analyse: 30s} judges
     * it for that long and needs conclusive evidence at the end; {@code pause: 30s} waits (a failing judgement still
     * ends it); {@code approve: {deadline: 1h}} waits for {@code switchman promote}. {@code weight: N} with
     * {@code pause: D} is the older shorthand for {@code shift: N} then {@code analyse: D}.
     */
    public record Step(Integer weight, Duration pause, Integer shift, @JsonAlias("analyze") Duration analyse, Approval approve) {
        public enum Action { SHIFT, ANALYSE, PAUSE, APPROVE }

        public Step {
            if (weight != null) {
                if (shift != null || analyse != null || approve != null) {
                    throw new IllegalArgumentException("a step with weight (the shorthand for shift then analyse) takes only"
                            + " pause besides; write shift, analyse, pause and approve as steps of their own");
                }
                share("weight", weight);
            } else {
                int actions = (shift == null ? 0 : 1) + (analyse == null ? 0 : 1) + (pause == null ? 0 : 1) + (approve == null ? 0 : 1);
                if (actions != 1) {
                    throw new IllegalArgumentException("a step does one thing: shift: N, analyse: 30s, pause: 30s or approve: {}"
                            + (actions == 0 ? "; this one does none" : "; this one has " + actions));
                }
                if (shift != null) {
                    share("shift", shift);
                }
            }
            pause = pause == null ? null : Durations.notNegative("pause", pause, Duration.ZERO);
            analyse = analyse == null ? null : Durations.positive("analyse", analyse, null);
        }

        public Step(Integer weight, Duration pause) {
            this(weight, pause, null, null, null);
        }

        public static Step shiftTo(int share) {
            return new Step(null, null, share, null, null);
        }

        public static Step analyseFor(Duration window) {
            return new Step(null, null, null, window, null);
        }

        public static Step approval(Approval approval) {
            return new Step(null, null, null, null, approval);
        }

        private static void share(String key, int value) {
            if (value < 1 || value > 100) {
                throw new IllegalArgumentException(key + " must be between 1 and 100 (the new version's share in percent), got " + value);
            }
        }

        public Action action() {
            if (shift != null || weight != null) {
                return Action.SHIFT;
            }
            return analyse != null ? Action.ANALYSE : pause != null ? Action.PAUSE : Action.APPROVE;
        }

        /** The new version's share after a shift step. */
        public int share() {
            return shift != null ? shift : weight;
        }

        /** How long an analyse or pause step lasts. */
        public Duration window() {
            return analyse != null ? analyse : pause;
        }

        @Override
        public String toString() {
            return switch (action()) {
                case SHIFT -> "shift " + share() + "%";
                case ANALYSE -> "analyse " + Durations.format(analyse);
                case PAUSE -> "pause " + Durations.format(pause);
                case APPROVE -> "approve" + (approve.deadline() == null ? "" : " (deadline " + Durations.format(approve.deadline()) + ")");
            };
        }
    }

    public StrategyConfig {
        name = name == null ? "unnamed" : name;
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("steps must list at least one step; the last shift must be shift: 100");
        }
        steps = expanded(steps);
        bake = Durations.notNegative("bake", bake, Duration.ZERO);
        analysis = analysis == null ? Analysis.defaults() : analysis;
        maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
        if (maxErrorRate < 0 || maxErrorRate > 1) {
            throw new IllegalArgumentException("maxErrorRate must be between 0 and 1 (a share of requests), got " + maxErrorRate);
        }
    }

    public StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate, Analysis analysis) {
        this(name, steps, bake, maxErrorRate, analysis, null);
    }

    public StrategyConfig(String name, List<Step> steps, Duration bake, Double maxErrorRate) {
        this(name, steps, bake, maxErrorRate, null, null);
    }

    /** Checks the shifts (each larger than the one before, the last 100) naming the step, and expands the shorthand. */
    private static List<Step> expanded(List<Step> written) {
        List<Step> out = new ArrayList<>();
        Integer last = null;
        int lastIndex = -1;
        for (int i = 0; i < written.size(); i++) {
            Step step = written.get(i);
            if (step == null) {
                throw new IllegalArgumentException("steps[" + i + "] is empty: a step does one thing: shift, analyse, pause or approve");
            }
            if (step.action() == Step.Action.SHIFT) {
                if (last != null && step.share() <= last) {
                    throw new IllegalArgumentException("steps[" + i + "] (" + step + ") must give the new version more than steps["
                            + lastIndex + "] (" + last + "%): shifts only grow");
                }
                last = step.share();
                lastIndex = i;
            }
            if (step.weight() != null) {
                out.add(Step.shiftTo(step.weight()));
                if (step.pause() != null && !step.pause().isZero()) {
                    out.add(Step.analyseFor(step.pause()));
                }
            } else {
                out.add(step);
            }
        }
        if (last == null || last != 100) {
            throw new IllegalArgumentException(last == null ? "steps has no shift: the last shift must be shift: 100"
                    : "the last shift (steps[" + lastIndex + "], " + last + "%) must send 100 to the new version");
        }
        return List.copyOf(out);
    }

    public static StrategyConfig blueGreen(Duration bake) {
        return new StrategyConfig("blue-green", List.of(Step.shiftTo(100)), bake, null);
    }

    /** The shares the shift steps give the new version, in order. */
    public List<Integer> shares() {
        return steps.stream().filter(s -> s.action() == Step.Action.SHIFT).map(Step::share).toList();
    }

    /** The configured waits: what a release spends waiting by design, as opposed to doing work (approvals aside). */
    public Duration configuredWaits() {
        return steps.stream().map(Step::window).filter(w -> w != null).reduce(bake, Duration::plus);
    }
}
