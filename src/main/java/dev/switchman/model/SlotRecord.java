package dev.switchman.model;

import java.time.Instant;
import java.util.List;

/**
 * What a platform knows of a running slot, persisted in the store so that another process (a rollback after the
 * coordinator died, the next release) can find and stop it. {@code handle} is the platform's own reference
 * (for {@code process}: the pid); {@code startedAt} guards against a recycled pid.
 */
public record SlotRecord(
        String application,
        Colour colour,
        String version,
        String handle,
        Instant startedAt,
        List<Endpoint> endpoints,
        String logFile) {
    public SlotRecord {
        endpoints = List.copyOf(endpoints);
    }
}
