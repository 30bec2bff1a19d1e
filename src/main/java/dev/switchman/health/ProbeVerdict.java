package dev.switchman.health;

import dev.switchman.health.HealthCheck.Verdict;
import dev.switchman.health.Measurement.Phase;
import java.util.List;

/** The verdict of a health check on its measurements, whatever probed: the last {@code successes} of them succeeded. */
public final class ProbeVerdict {
    private ProbeVerdict() {}

    /**
     * Passed when the last {@code successes} measurements, in order, succeeded. A failing verdict's measurement is
     * the last one when it failed; when the run ended on too few successes, it says so and names the last failure.
     */
    public static Verdict judge(List<Measurement> measurements, int successes) {
        if (measurements.isEmpty()) {
            return new Verdict(false, 0, null);
        }
        int trailing = 0;
        for (int i = measurements.size() - 1; i >= 0 && measurements.get(i).ok(); i--) {
            trailing++;
        }
        Measurement last = measurements.getLast();
        if (trailing >= successes || !last.ok()) {
            return new Verdict(trailing >= successes, measurements.size(), last);
        }
        String detail = "only " + trailing + " of " + successes + " consecutive probes succeeded before health.deadline";
        int lastFailure = measurements.size() - 1 - trailing;
        if (lastFailure >= 0) {
            detail += "; the last failure: " + measurements.get(lastFailure).detail();
        }
        return new Verdict(false, measurements.size(), new Measurement(last.at(), Phase.FAILURE, detail));
    }
}
