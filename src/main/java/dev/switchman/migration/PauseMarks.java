package dev.switchman.migration;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract changes marked {@code switchman:pause [bound]} (a comment in the change, or just above it): changes
 * that take an exclusive lock briefly, around which the router holds new requests so that none waits on the lock
 * and fails. The bound is how long a request may be held (default {@value #DEFAULT_SECONDS} s, at most
 * {@value #MAX_SECONDS} s for all the marked changes of a release together): past it, held requests are answered 503.
 */
public final class PauseMarks {
    static final int DEFAULT_SECONDS = 5;
    static final int MAX_SECONDS = 30;
    private static final Pattern MARK = Pattern.compile(
            "switchman:pause\\b(?:[ \\t]+([^\\s*>-]\\S*?))?(?=\\s|-->|\\*/|$)", Pattern.MULTILINE);

    /** What the marks ask for: the changes marked, and how long the router may hold requests while they run. */
    public record Pause(List<PlannedChange> marked, Duration bound) {
        public boolean none() {
            return marked.isEmpty();
        }

        /** The marked changes, as file:line (id). */
        public String where() {
            return String.join(", ", marked.stream().map(PauseMarks::where).toList());
        }
    }

    private PauseMarks() {}

    /**
     * The pause the contract changes of {@code planned} ask for; their bounds add up, as the changes run one after
     * the other while the router holds. A mark on an expand change, a bound that is not a duration, or bounds
     * over {@value #MAX_SECONDS} s are bad input, named by file and line.
     */
    public static Pause of(List<PlannedChange> planned) {
        List<PlannedChange> marked = planned.stream().filter(c -> c.source() != null && MARK.matcher(c.source()).find()).toList();
        Duration total = Duration.ZERO;
        for (PlannedChange change : marked) {
            if (change.phase() != Migrator.Phase.CONTRACT) {
                throw new ConfigException(where(change) + ": switchman:pause marks an expand change; only a contract"
                        + " change runs while the old version is gone and may hold the router: move the mark, or the change");
            }
            total = total.plus(bound(change));
        }
        if (total.compareTo(Duration.ofSeconds(MAX_SECONDS)) > 0) {
            throw new ConfigException("switchman:pause: the marked contract changes ask to hold requests "
                    + Durations.format(total) + " in all, more than " + MAX_SECONDS + "s (clients time out): "
                    + String.join(", ", marked.stream().map(PauseMarks::where).toList())
                    + "; make each change shorter, or release them in separate versions");
        }
        return new Pause(marked, total);
    }

    private static Duration bound(PlannedChange change) {
        Matcher m = MARK.matcher(change.source());
        m.find();
        if (m.group(1) == null) {
            return Duration.ofSeconds(DEFAULT_SECONDS);
        }
        Duration bound;
        try {
            bound = Durations.parse(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(change) + ": switchman:pause " + e.getMessage());
        }
        if (bound.isZero() || bound.isNegative()) {
            throw new ConfigException(where(change) + ": switchman:pause needs a positive bound, got " + m.group(1));
        }
        return bound;
    }

    private static String where(PlannedChange change) {
        return change.file() + ":" + change.line() + " (" + change.id() + ")";
    }
}
