package dev.switchman.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
            "db.url", "db.host", "db.port", "db.name", "db.user", "db.passwordEnv",
            "java", "switchman.jar");

    private final Map<String, String> values;

    public Placeholders(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public Placeholders with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.putAll(more);
        return new Placeholders(all);
    }

    public Map<String, String> values() {
        return values;
    }

    public String expand(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("placeholder {" + m.group(1) + "} has no value here (known: "
                        + new TreeSet<>(values.keySet()) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
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
