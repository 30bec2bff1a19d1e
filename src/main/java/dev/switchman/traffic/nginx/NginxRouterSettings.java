package dev.switchman.traffic.nginx;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import java.time.Duration;
import java.util.List;

/**
 * {@code router} for {@code type: nginx}: the include Switchman writes (two upstreams and the {@code js_set} that
 * picks a colour), the weights file the script reads per request, the upstreams' name prefix (null: the
 * application's name), and the commands that test and reload nginx. nginx cannot count in-flight requests per
 * colour, so a drain waits {@code drainTime}. {@code pidFile} is the master's, read to see a reload take effect.
 */
public record NginxRouterSettings(String include, String weightsFile, String upstreamPrefix, String nginx,
                                  List<String> reloadCommand, List<String> testCommand, Duration drainTime,
                                  String pidFile) implements KindSettings {

    /** What nginx takes in an upstream's name and Switchman in a file's: nothing that ends a word in its config. */
    static final String PREFIX = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

    public NginxRouterSettings {
        include = required("router.include", include);
        weightsFile = required("router.weightsFile", weightsFile);
        if (!include.endsWith(".conf")) {
            throw new IllegalArgumentException("router.include must end in .conf (the script is written beside it), got '"
                    + include + "'");
        }
        if (include.equals(weightsFile)) {
            throw new IllegalArgumentException("router.include and router.weightsFile are both " + include);
        }
        if (upstreamPrefix != null && !upstreamPrefix.matches(PREFIX)) {
            throw new IllegalArgumentException("router.upstreamPrefix '" + upstreamPrefix
                    + "' must be letters, digits, '_', '.' or '-' (it names nginx upstreams)");
        }
        nginx = nginx == null ? "nginx" : required("router.nginx", nginx);
        reloadCommand = command("router.reloadCommand", reloadCommand, List.of(nginx, "-s", "reload"));
        testCommand = command("router.testCommand", testCommand, List.of(nginx, "-t"));
        drainTime = Durations.notNegative("router.drainTime", drainTime, Duration.ofSeconds(10));
        pidFile = pidFile == null ? "/run/nginx.pid" : required("router.pidFile", pidFile);
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required for router.type nginx");
        }
        return value;
    }

    private static List<String> command(String key, List<String> value, List<String> fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isEmpty() || value.getFirst() == null || value.getFirst().isBlank()) {
            throw new IllegalArgumentException(key + " must be a list whose first element names the program, e.g. "
                    + fallback);
        }
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new IllegalArgumentException(key + "[" + i + "] is empty");
            }
        }
        return List.copyOf(value);
    }
}
