package dev.switchman.store;

import dev.switchman.model.Colour;
import dev.switchman.model.ReleaseState;
import java.time.Instant;

/**
 * A release as the store keeps it: enough for any later process to report it or roll it back.
 * {@code fromColour} is null for an application's first release; {@code gate} is the last gate reached.
 */
public record ReleaseRecord(
        long id,
        String application,
        String version,
        Colour fromColour,
        String fromVersion,
        Colour toColour,
        String changelog,
        ReleaseState state,
        String gate,
        String reason,
        String schemaTag,
        boolean trafficShifted,
        Instant startedAt,
        Instant endedAt) {

    public ReleaseRecord {
        gate = GateNames.reached(gate);
    }
}
