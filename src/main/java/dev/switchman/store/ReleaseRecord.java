package dev.switchman.store;

import dev.switchman.model.Colour;
import dev.switchman.model.ReleaseState;
import java.time.Instant;
import java.util.Locale;

/**
 * A release as the store keeps it: enough for any later process to report it or roll it back.
 * {@code fromColour} is null for an application's first release; {@code gate} is the last gate reached;
 * {@code backup} is null unless the release took one.
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
        Instant endedAt,
        Backup backup) {

    public ReleaseRecord {
        gate = GateNames.reached(gate);
    }

    /** The backup taken before expand: where it is (the file, or the directory it went to), its size, how long it took. */
    public record Backup(String location, long bytes, long durationMs) {

        /** As people read it: {@code /var/backups/shop-7-v2.dump, 1.2 MB, in 840 ms}. */
        public String describe() {
            return location + ", " + size(bytes) + ", in " + (durationMs < 10_000 ? durationMs + " ms"
                    : String.format(Locale.ROOT, "%.1f s", durationMs / 1000.0));
        }

        /** Bytes in decimal units: {@code 512 B}, {@code 1.2 MB}. */
        static String size(long bytes) {
            if (bytes < 1000) {
                return bytes + " B";
            }
            String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
            double value = bytes;
            int unit = -1;
            while (value >= 999.95 && unit < units.length - 1) {
                value /= 1000;
                unit++;
            }
            return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
        }
    }
}
