package dev.switchman.migration;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Placeholders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A migration command as it runs: the placeholders a version's changes give it, and each element of the command
 * expanded, a placeholder without a value named by the key and index it was written at.
 */
public final class CommandLine {
    private CommandLine() {}

    /** {@code base} with {version}, {changelog} (when set) and {schema.before} (when not null). */
    public static Placeholders values(Placeholders base, Migrator.Changes changes, String schemaBefore) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("version", changes.version());
        if (changes.changelog() != null) {
            v.put("changelog", changes.changelog());
        }
        if (schemaBefore != null) {
            v.put("schema.before", schemaBefore);
        }
        return base.with(v);
    }

    /** Each element of {@code command} (written at {@code key}) expanded; a ConfigException names {@code key[i]}. */
    public static List<String> expand(String key, List<String> command, Placeholders values) {
        List<String> argv = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            try {
                argv.add(values.expand(command.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + "[" + i + "]: " + e.getMessage()
                        + (command.get(i).contains("{changelog}") ? " (set 'changelog' in the config, or pass --changelog)" : ""), e);
            }
        }
        return argv;
    }
}
