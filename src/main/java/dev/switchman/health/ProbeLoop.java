package dev.switchman.health;

import dev.switchman.config.Durations;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Endpoint;
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
 * of the verdict). All waiting is on Vert.x timers.
 */
public final class ProbeLoop implements HealthCheck {
    private final Vertx vertx;
    private final ProbeSchedule schedule;
    private final Probe probe;
    private final Clock clock;

    public ProbeLoop(Vertx vertx, ProbeSchedule schedule, Probe probe, Clock clock) {
        this.vertx = vertx;
        this.schedule = schedule;
        this.probe = probe;
        this.clock = clock;
    }

    @Override
    public Future<Verdict> check(Endpoint endpoint, String expectedVersion) {
        return new Run(endpoint, expectedVersion, vertx.getOrCreateContext()).start();
    }

    /** One check of one endpoint. Its state is only touched on {@code context}. */
    private final class Run {
        private final Endpoint endpoint;
        private final String expectedVersion;
        private final Context context;
        private final Instant deadline;
        private final List<Measurement> measurements = new ArrayList<>();
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
            // Whichever comes first, the probe's answer or the bound (empty), is taken; the other is ignored.
            Promise<Optional<Measurement>> answer = Promise.promise();
            long timer = vertx.setTimer(limit.toMillis(), id -> answer.tryComplete(Optional.empty()));
            answer.future().onSuccess(measurement -> {
                vertx.cancelTimer(timer);
                if (measurement.isPresent()) {
                    judged(measurement.get());
                } else if (cutShort && !measurements.isEmpty()) {
                    finish();
                } else {
                    judged(new Measurement(clock.instant(), Phase.ERROR, "timed out after " + Durations.format(limit)
                            + (cutShort ? " (cut short by health.deadline " + Durations.format(schedule.deadline()) + ")"
                                    : " (health.timeout)")));
                }
            });
            ask(limit).onComplete(ar -> context.runOnContext(v -> answer.tryComplete(Optional.of(ar.result()))));
        }

        /** The probe's measurement; a probe that throws or fails, against its contract, still gives one. */
        private Future<Measurement> ask(Duration limit) {
            try {
                return probe.probe(endpoint, expectedVersion, limit).recover(e -> Future.succeededFuture(broken(e)));
            } catch (RuntimeException e) {
                return Future.succeededFuture(broken(e));
            }
        }

        private Measurement broken(Throwable e) {
            return new Measurement(clock.instant(), Phase.ERROR, "probe of " + endpoint + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }

        /** Records a measurement, then waits for the next probe or ends: passed, or no probe left before the deadline. */
        private void judged(Measurement measurement) {
            measurements.add(measurement);
            Optional<String> broken = schedule.sameFailure(measurements);
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
