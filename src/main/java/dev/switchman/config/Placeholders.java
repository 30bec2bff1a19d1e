package dev.switchman.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {name}} placeholders in commands, environment values and paths. Unknown names are an error at load time,
 * so a typo never reaches a running release.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9._-]*)}");

    /** Names known when a slot starts. */
    public static final Set<String> SLOT = Set.of(
            "app", "colour", "version", "port", "host", "stateDir", "logFile",
            "db.url", "db.libpqUrl", "db.host", "db.port", "db.name", "db.user", "db.passwordEnv",
            "java", "switchman.jar");

    /** Names known when a migrator's command runs ({@code schema.before} only where {@code migrator.current} is set). */
    public static final Set<String> MIGRATOR = Set.of(
            "app", "version", "changelog", "schema.before", "stateDir",
            "db.url", "db.libpqUrl", "db.host", "db.port", "db.name", "db.user", "db.passwordEnv",
            "java", "switchman.jar");

    /** Names known when the backup command runs. */
    public static final Set<String> BACKUP = Set.of(
            "app", "version", "stateDir", "backup.dir", "backup.file",
            "db.url", "db.libpqUrl", "db.host", "db.port", "db.name", "db.user", "db.passwordEnv");

    private final Map<String, Supplier<String>> values;

    public Placeholders(Map<String, String> values) {
        this(Map.of(), values);
    }

    private Placeholders(Map<String, Supplier<String>> base, Map<String, String> more) {
        Map<String, Supplier<String>> all = new LinkedHashMap<>(base);
        more.forEach((name, value) -> all.put(name, () -> value));
        this.values = Map.copyOf(all);
    }

    public Placeholders with(Map<String, String> more) {
        return new Placeholders(values, more);
    }

    /**
     * With {@code name} worked out only when a template uses it, once: for a value that costs something to make
     * (a copy of Switchman's jar), so a command that expands no such template never makes it.
     */
    public Placeholders withLazy(String name, Supplier<String> value) {
        Map<String, Supplier<String>> all = new LinkedHashMap<>(values);
        all.put(name, new Once(value));
        return new Placeholders(all, Map.of());
    }

    public String expand(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Supplier<String> supplier = values.get(m.group(1));
            String value = supplier == null ? null : supplier.get();
            if (value == null) {
                throw new IllegalArgumentException("placeholder {" + m.group(1) + "} has no value here (known: "
                        + new TreeSet<>(values.keySet()) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A value made at its first use, then kept. */
    private static final class Once implements Supplier<String> {
        private final Supplier<String> make;
        private volatile String made;

        Once(Supplier<String> make) {
            this.make = make;
        }

        @Override
        public String get() {
            String value = made;
            if (value == null) {
                synchronized (this) {
                    if (made == null) {
                        made = make.get();
                    }
                    value = made;
                }
            }
            return value;
        }
    }

    /** Throws naming the first placeholder in {@code template} that is not in {@code known}. */
    public static void check(String key, String template, Set<String> known) {
        if (template == null) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw new IllegalArgumentException(key + ": unknown placeholder {" + m.group(1) + "} (known: "
                        + new TreeSet<>(known) + ")");
            }
        }
    }
}
