package dev.switchman.health;

import dev.switchman.config.Durations;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes an endpoint on its {@link ProbeSchedule} until {@code successes} consecutive probes succeed or the
 * deadline comes, whatever the kind of probe: the next probe {@code interval} after a success, with backoff after a
 * failure, each bounded by {@code timeout}. The clock stamps the loop's own measurements and decides the deadline:
 * no probe starts after it, and one still running then is cut short (and, when earlier probes say more, left out
 * of the verdict). Every probe, of a check or a single {@link #probe(Endpoint, String)}, goes through the
 * endpoint's {@link ProbeBreaker}. All waiting is on Vert.x timers.
 */
public final class ProbeLoop implements HealthCheck {
    private final Vertx vertx;
    private final ProbeSchedule schedule;
    private final Probe probe;
    private final Clock clock;
    private final ProbeBreaker breaker;

    public ProbeLoop(Vertx vertx, ProbeSchedule schedule, Probe probe, Clock clock) {
        this.vertx = vertx;
        this.schedule = schedule;
        this.probe = probe;
        this.clock = clock;
        this.breaker = new ProbeBreaker(schedule, clock);
    }

    @Override
    public Future<Verdict> check(Endpoint endpoint, String expectedVersion) {
        return new Run(endpoint, expectedVersion, vertx.getOrCreateContext()).start();
    }

    @Override
    public Future<Measurement> probe(Endpoint endpoint, String expectedVersion) {
        Promise<Measurement> result = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> once(endpoint, expectedVersion, schedule.timeout(),
                "timed out after " + Durations.format(schedule.timeout()) + " (health.timeout)")
                .map(Attempt::measurement)
                .onComplete(result));
        return result.future();
    }

    /** The breaker's state for {@code endpoint}. */
    CircuitBreaker.State breakerState(Endpoint endpoint) {
        return breaker.state(endpoint);
    }

    /** One probe's outcome: {@code sent} false when the breaker kept it back; {@code timedOut} when the bound came first. */
    private record Attempt(Measurement measurement, boolean sent, boolean timedOut) {}

    /**
     * One probe through the endpoint's breaker, bounded by {@code limit}; never fails. Called on a context: the
     * probe's answer and the bound are both taken there, whichever comes first, the other ignored.
     */
    private Future<Attempt> once(Endpoint endpoint, String expectedVersion, Duration limit, String timedOut) {
        Optional<Measurement> refused = breaker.refuse(endpoint);
        if (refused.isPresent()) {
            return Future.succeededFuture(new Attempt(refused.get(), false, false));
        }
        Context context = vertx.getOrCreateContext();
        long started = System.nanoTime();
        Promise<Attempt> answer = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, limit.toMillis()), id -> answer.tryComplete(
                new Attempt(new Measurement(clock.instant(), Phase.ERROR, timedOut), true, true)));
        ask(endpoint, expectedVersion, limit).onComplete(ar -> context.runOnContext(v ->
                answer.tryComplete(new Attempt(ar.result(), true, false))));
        return answer.future().map(attempt -> {
            vertx.cancelTimer(timer);
            breaker.record(endpoint, attempt.measurement(), System.nanoTime() - started);
            return attempt;
        });
    }

    /** The probe's measurement; a probe that throws or fails, against its contract, still gives one. */
    private Future<Measurement> ask(Endpoint endpoint, String expectedVersion, Duration limit) {
        try {
            return probe.probe(endpoint, expectedVersion, limit).recover(e -> Future.succeededFuture(broken(endpoint, e)));
        } catch (RuntimeException e) {
            return Future.succeededFuture(broken(endpoint, e));
        }
    }

    private Measurement broken(Endpoint endpoint, Throwable e) {
        return new Measurement(clock.instant(), Phase.ERROR, "probe of " + endpoint + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** One check of one endpoint. Its state is only touched on {@code context}. */
    private final class Run {
        private final Endpoint endpoint;
        private final String expectedVersion;
        private final Context context;
        private final Instant deadline;
        private final List<Measurement> measurements = new ArrayList<>();
        /** The measurements of probes sent: only answers make the same failure, not a breaker that kept one back. */
        private final List<Measurement> answers = new ArrayList<>();
        private final Promise<Verdict> result = Promise.promise();

        Run(Endpoint endpoint, String expectedVersion, Context context) {
            this.endpoint = endpoint;
            this.expectedVersion = expectedVersion;
            this.context = context;
            this.deadline = clock.instant().plus(schedule.deadline());
        }

        Future<Verdict> start() {
            context.runOnContext(v -> attempt());
            return result.future();
        }

        /** Starts a probe bounded by the timeout or what is left before the deadline, unless nothing is left. */
        private void attempt() {
            Duration remaining = remaining();
            boolean cutShort = remaining.compareTo(schedule.timeout()) < 0;
            Duration limit = cutShort ? remaining : schedule.timeout();
            if (limit.toMillis() < 1) {
                finish();
                return;
            }
            String timedOut = "timed out after " + Durations.format(limit) + (cutShort
                    ? " (cut short by health.deadline " + Durations.format(schedule.deadline()) + ")" : " (health.timeout)");
            once(endpoint, expectedVersion, limit, timedOut).onSuccess(attempt -> {
                if (attempt.timedOut() && cutShort && !measurements.isEmpty()) {
                    finish();
                } else {
                    judged(attempt);
                }
            });
        }

        /** Records a measurement, then waits for the next probe or ends: passed, or no probe left before the deadline. */
        private void judged(Attempt attempt) {
            Measurement measurement = attempt.measurement();
            measurements.add(measurement);
            if (attempt.sent()) {
                answers.add(measurement);
            }
            Optional<String> broken = schedule.sameFailure(answers);
            if (broken.isPresent()) {
                result.complete(new Verdict(false, measurements.size(), new Measurement(measurement.at(), Phase.FAILURE,
                        "the same failing answer " + schedule.failures() + " times in a row (health.failures): " + broken.get())));
                return;
            }
            Optional<Duration> wait = ProbeVerdict.judge(measurements, schedule.successes()).passed()
                    ? Optional.empty() : schedule.next(measurements, remaining());
            if (wait.isEmpty()) {
                finish();
            } else if (wait.get().toMillis() < 1) {
                attempt();
            } else {
                vertx.setTimer(wait.get().toMillis(), id -> attempt());
            }
        }

        private void finish() {
            result.complete(ProbeVerdict.judge(measurements, schedule.successes()));
        }

        private Duration remaining() {
            return Duration.between(clock.instant(), deadline);
        }
    }
}
