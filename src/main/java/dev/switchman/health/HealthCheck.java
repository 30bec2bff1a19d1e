package dev.switchman.health;

import dev.switchman.model.Endpoint;
import io.vertx.core.Future;

/**
 * Decides whether a slot is healthy. The returned future always succeeds: with a passing verdict after the
 * required consecutive successes, or a failing one (with the last measurement as the reason) at the deadline.
 */
public interface HealthCheck {

    Future<Verdict> check(Endpoint endpoint, String expectedVersion);

    /**
     * One probe of {@code endpoint}, for a caller outside the check (the analysis, each second on both colours),
     * bounded by {@code health.timeout}. Never fails: an error is a measurement with phase {@code ERROR}, a wrong
     * answer {@code FAILURE}. Holds nothing once it completes: no connection, no process.
     */
    Future<Measurement> probe(Endpoint endpoint, String expectedVersion);

    record Verdict(boolean passed, int probes, Measurement last) {
        public String reason() {
            return last == null ? "no probe ran" : last.detail();
        }
    }
}
