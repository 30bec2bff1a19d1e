package dev.switchman.health;

import dev.switchman.model.Endpoint;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * What a health check kind supplies: one probe of one endpoint, judged. The {@link ProbeLoop} decides when to probe
 * and what the measurements add up to, the same for every kind.
 */
public interface Probe {

    /**
     * Probes once. Never fails: an error is a measurement with phase {@code ERROR}. The loop stops waiting after
     * {@code limit} and judges the probe timed out itself, so a probe only needs to give up its resources by then.
     */
    Future<Measurement> probe(Endpoint endpoint, String expectedVersion, Duration limit);
}
