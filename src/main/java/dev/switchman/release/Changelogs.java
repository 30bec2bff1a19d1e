package dev.switchman.release;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import java.nio.file.Path;
import java.util.Map;

/** Which changelog a version's release reads: each version of an application ships its own. */
public final class Changelogs {
    private static final String CLASSPATH = "classpath:";

    private Changelogs() {}

    /**
     * {@code override} (a path) wins; else the config's {@code changelog} with {version}; classpath: is kept as is.
     * Null when neither is given: a migrator that needs a changelog says so in its check.
     */
    public static String forVersion(LoadedConfig config, String version, String override) {
        if (override != null) {
            return given(override);
        }
        String configured = config.config().changelog();
        if (configured == null) {
            return null;
        }
        String expanded = new Placeholders(Map.of("version", version, "app", config.application())).expand(configured);
        return expanded.startsWith(CLASSPATH) ? expanded : config.resolve(expanded).toString();
    }

    /** A changelog given by a person (relative to where they are), or null. */
    public static String given(String path) {
        return path == null || path.startsWith(CLASSPATH) ? path : Path.of(path).toAbsolutePath().toString();
    }
}
