package dev.switchman.telemetry;

import dev.switchman.config.ConfigException;
import dev.switchman.gate.Gate;
import dev.switchman.migration.Migrator;
import dev.switchman.model.Colour;
import dev.switchman.model.ConflictException;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import dev.switchman.release.Release;
import dev.switchman.store.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One release's figures as Prometheus meters, fed by its progress events and its outcome. Every outcome and every
 * gate's rollback count is there from the start at 0, so that a push that turns one to 1 is an increase Prometheus
 * sees. Recording only updates meters: it never blocks the event loop that reports.
 */
public final class ReleaseMetrics implements Progress {

    /** How a release ended, as the {@code outcome} label says it. */
    public static final List<String> OUTCOMES = List.of(
            "released", "rolled_back", "rollback_failed", "failed_past_contract", "conflict", "bad_input", "error");

    private final String application;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> releases = new LinkedHashMap<>();
    private final Map<String, Counter> rollbacks = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> inGate = new LinkedHashMap<>();
    private final Map<Colour, AtomicInteger> weights = new ConcurrentHashMap<>();
    private final Timer rollbackSpan;
    private final Map<Migrator.Step, Counter> lockRetries = new EnumMap<>(Migrator.Step.class);
    /** Registered once a release's end says it (bad input says nothing of what the last release left). */
    private final AtomicInteger needsAPerson = new AtomicInteger();
    private boolean needsAPersonKnown;

    public ReleaseMetrics(String application, String version) {
        this.application = application;
        for (String outcome : OUTCOMES) {
            releases.put(outcome, Counter.builder("switchman.releases")
                    .description("Releases by how they ended (conflict: another release holds the application;"
                            + " bad_input: refused before anything was touched)")
                    .tags("application", application, "outcome", outcome).register(registry));
        }
        for (Gate gate : Release.GATES) {
            rollbacks.put(gate.name(), Counter.builder("switchman.rollbacks")
                    .description("Releases rolled back, by the gate that failed")
                    .tags("application", application, "gate", gate.name()).register(registry));
            AtomicInteger in = new AtomicInteger();
            inGate.put(gate.name(), in);
            Gauge.builder("switchman.release.gate", in, AtomicInteger::get)
                    .description("1 for the gate the release is in now (running or undoing it), 0 for the others")
                    .tags("application", application, "gate", gate.name()).strongReference(true).register(registry);
        }
        for (Migrator.Step step : Migrator.Step.values()) {
            lockRetries.put(step, Counter.builder("switchman.migration.lock.timeout.retries")
                    .description("Migration steps run again because a statement waited longer than migrator.lockTimeout")
                    .tags("application", application, "phase", step.label).register(registry));
        }
        rollbackSpan = Timer.builder("switchman.rollback.span")
                .description("From the first failing measurement of the new version to all traffic back on the live colour")
                .tag("application", application).register(registry);
        // With the application too: node_exporter refuses a series that two applications' textfiles both hold.
        Info.builder().name("switchman_build_info").help("The Switchman that ran the release")
                .labelNames("application", "version").register(registry.getPrometheusRegistry())
                .setLabelValues(application, version);
    }

    @Override
    public void report(ProgressEvent event) {
        switch (event) {
            case ProgressEvent.StepStarted started -> inGate.forEach((gate, in) -> in.set(gate.equals(started.gate()) ? 1 : 0));
            case ProgressEvent.StepEnded ended -> stepEnded(ended.step());
            case ProgressEvent.TrafficSet set -> {
                for (Colour colour : Colour.values()) {
                    weight(colour).set(set.target().weight(colour));
                }
            }
            case ProgressEvent.TrafficBack back -> rollbackSpan.record(back.span());
            case ProgressEvent.Linted linted -> linted.report().findings().forEach(finding -> Counter.builder("switchman.lint.findings")
                    .description("The lint's findings on the release's changes, by rule and whether a reason accepts them")
                    .tags("application", application, "rule", finding.rule().id(), "accepted", String.valueOf(finding.isAccepted()))
                    .register(registry).increment());
            case ProgressEvent.Migrated migrated -> Timer.builder("switchman.migration.duration")
                    .description("How long a migration step (expand, undo_expand, contract) took, by whether it passed")
                    .tags("application", application, "phase", migrated.step().label, "result", migrated.passed() ? "passed" : "failed")
                    .register(registry).record(migrated.took());
            case ProgressEvent.LockRetried retried -> lockRetries.get(retried.step()).increment();
            case ProgressEvent.LeftForAPerson left -> needsAPerson(true);
            case ProgressEvent.Note note -> { }
        }
    }

    private void stepEnded(Outcome.Step step) {
        Timer.builder("switchman.gate.duration")
                .description("How long a gate's run or undo took, by how it ended (passed, failed, undone, undo_failed)")
                .tags("application", application, "gate", step.gate(), "result", label(step.result()))
                .register(registry)
                .record(Duration.ofMillis(step.millis()));
    }

    private AtomicInteger weight(Colour colour) {
        return weights.computeIfAbsent(colour, c -> {
            AtomicInteger weight = new AtomicInteger();
            Gauge.builder("switchman.traffic.weight", weight, AtomicInteger::get)
                    .description("The weight (0-100) the release last gave the colour at the router")
                    .tags("application", application, "colour", c.id()).strongReference(true).register(registry);
            return weight;
        });
    }

    /** The release ended with {@code outcome}. */
    public void ended(Outcome outcome) {
        inGate.values().forEach(in -> in.set(0));
        String label = outcome(outcome);
        releases.get(label).increment();
        switch (label) {
            case "released", "rolled_back" -> needsAPerson(false);
            case "rollback_failed", "failed_past_contract", "error" -> needsAPerson(true);
            default -> { } // a conflict: what holds the application said it (LeftForAPerson), or its coordinator will
        }
        if ((label.equals("rolled_back") || label.equals("rollback_failed")) && rollbacks.containsKey(outcome.gate())) {
            rollbacks.get(outcome.gate()).increment();
        }
    }

    /** The release ended with a failure instead of an outcome: bad input, a conflict, or an unexpected one. */
    public void failed(Throwable failure) {
        inGate.values().forEach(in -> in.set(0));
        releases.get(failure instanceof ConfigException ? "bad_input"
                : failure instanceof ConflictException ? "conflict" : "error").increment();
        if (!(failure instanceof ConfigException) && !(failure instanceof ConflictException)) {
            needsAPerson(true);
        }
    }

    /**
     * 1 while the application's last release or rollback left work for a person (a rollback failed, a failure past
     * contract, an unexpected error, or a release interrupted and not rolled back yet), 0 once one ended cleanly.
     */
    private synchronized void needsAPerson(boolean needed) {
        if (!needsAPersonKnown) {
            Gauge.builder("switchman.release.needs.a.person", needsAPerson, AtomicInteger::get)
                    .description("1 while the last release or rollback left work for a person ('switchman status' says what)")
                    .tag("application", application).strongReference(true).register(registry);
            needsAPersonKnown = true;
        }
        needsAPerson.set(needed ? 1 : 0);
    }

    static String outcome(Outcome outcome) {
        if (outcome.state() == null) {
            // Ended before the release row existed: only the lock (if it was taken) was touched.
            return outcome.exitCode() == ExitCode.CONFLICT ? "conflict" : "rolled_back";
        }
        return switch (outcome.state()) {
            case RELEASED -> "released";
            case ROLLED_BACK -> "rolled_back";
            case ROLLBACK_FAILED -> "rollback_failed";
            case FAILED_PAST_CONTRACT -> "failed_past_contract";
            case RUNNING, ROLLING_BACK -> "error";
        };
    }

    private static String label(Event.Kind result) {
        return result.name().toLowerCase(Locale.ROOT);
    }

    /** The meters in Prometheus's text format (0.0.4), as a Pushgateway and node_exporter's textfile collector read it. */
    public String scrape() {
        return registry.scrape();
    }
}
