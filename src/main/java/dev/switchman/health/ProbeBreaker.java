package dev.switchman.health;

import dev.switchman.config.Durations;
import dev.switchman.model.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A circuit breaker per endpoint in front of every probe, whatever the kind. After {@value #FAILURES} failed probes
 * in a row (a wrong answer, an error or a timeout) it opens: no probe is sent for {@value #OPEN_INTERVALS} times
 * {@code health.interval}; then it lets one probe through (half-open), whose success closes it and whose failure
 * opens it again. The wait is shorter than the loop's own backoff after that many failures (5 intervals), so a
 * check alone is not slowed by it; what it spares is an endpoint that keeps failing while others probe it more
 * often (the analysis probes each colour every second). A probe not sent is a measurement with the phase and the
 * detail of the last probe sent, so a verdict's reason still says what the endpoint last answered.
 */
final class ProbeBreaker {
    static final int FAILURES = 5;
    static final int OPEN_INTERVALS = 4;

    private final CircuitBreakerConfig config;
    private final Duration open;
    private final Clock clock;
    private final Map<Endpoint, Guard> guards = new ConcurrentHashMap<>();

    ProbeBreaker(ProbeSchedule schedule, Clock clock) {
        this.open = schedule.interval().multipliedBy(OPEN_INTERVALS);
        this.clock = clock;
        // A count window of FAILURES calls, all of which must fail: FAILURES failures in a row.
        this.config = CircuitBreakerConfig.custom()
                .slidingWindow(FAILURES, FAILURES, SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(open)
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(clock)
                .build();
    }

    /**
     * Empty when a probe of {@code endpoint} may be sent, and then {@link #record} must follow; else the
     * measurement of the probe not sent.
     */
    Optional<Measurement> refuse(Endpoint endpoint) {
        Guard guard = guards.computeIfAbsent(endpoint, e -> new Guard(CircuitBreaker.of("health " + e, config)));
        if (guard.breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        Measurement last = guard.last;
        String detail = "not probed: the circuit breaker of " + endpoint + " is open after " + FAILURES
                + " failed probes in a row (one is let through " + Durations.format(open) + " after the last)";
        return Optional.of(last == null
                ? new Measurement(clock.instant(), Measurement.Phase.ERROR, detail)
                : new Measurement(clock.instant(), last.phase(), detail + "; the last probe: " + last.detail()));
    }

    /** What a probe that was let through gave, {@code nanos} after it started. */
    void record(Endpoint endpoint, Measurement measurement, long nanos) {
        Guard guard = guards.get(endpoint);
        guard.last = measurement;
        if (measurement.ok()) {
            guard.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            guard.breaker.onError(nanos, TimeUnit.NANOSECONDS, new ProbeFailed(measurement.detail()));
        }
    }

    /** The breaker's state for {@code endpoint}, for tests and messages. */
    CircuitBreaker.State state(Endpoint endpoint) {
        Guard guard = guards.get(endpoint);
        return guard == null ? CircuitBreaker.State.CLOSED : guard.breaker.getState();
    }

    private static final class Guard {
        final CircuitBreaker breaker;
        volatile Measurement last;

        Guard(CircuitBreaker breaker) {
            this.breaker = breaker;
        }
    }

    /** How a failed probe is told to the breaker; never thrown. */
    private static final class ProbeFailed extends RuntimeException {
        ProbeFailed(String detail) {
            super(detail, null, false, false);
        }
    }
}
