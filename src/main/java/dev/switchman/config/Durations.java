package dev.switchman.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in YAML: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {}

    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 500ms, 30s, 2m)");
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        return ms / 1000 + "s";
    }

    public static Duration positive(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + format(d));
        }
        return d;
    }

    public static Duration notNegative(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + format(d));
        }
        return d;
    }
}
