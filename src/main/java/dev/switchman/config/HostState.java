package dev.switchman.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a host keeps the long-lived parts of an application when its config names no {@code stateDir}: the
 * router's token and weights, the embedded database, the slots' notes and logs. They belong to the host, not to a
 * checkout, so a CD job that checks the application out anew for every run finds them from any checkout.
 */
public final class HostState {
    /** Overrides the directory below which each application has its own. */
    public static final String HOME_ENV = "SWITCHMAN_STATE_HOME";

    private HostState() {}

    /**
     * {@code $SWITCHMAN_STATE_HOME/<application>}; else, for root, {@code /var/lib/switchman/<application>};
     * else {@code $XDG_STATE_HOME/switchman/<application>}, {@code ~/.local/state/switchman/<application>} when
     * XDG_STATE_HOME is not set (the XDG base directory specification's place for state).
     */
    public static Path of(String application, Map<String, String> env, String user, Path home) {
        return home(env, user, home).resolve(application);
    }

    /** For this process: its environment, user and home directory. */
    public static Path of(String application) {
        return of(application, System.getenv(), System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
    }

    private static Path home(Map<String, String> env, String user, Path home) {
        String own = env.get(HOME_ENV);
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        if ("root".equals(user)) {
            return Path.of("/var/lib/switchman");
        }
        String xdg = env.get("XDG_STATE_HOME");
        // The specification says a relative XDG_STATE_HOME is invalid and must be ignored.
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("switchman");
        }
        return home.resolve(".local").resolve("state").resolve("switchman");
    }
}
