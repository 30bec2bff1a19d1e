package dev.switchman.traffic.builtin;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Ports;
import java.time.Duration;
import java.util.Map;

/**
 * {@code router} for {@code type: builtin}: the public address it serves, the loopback port of its admin API, and
 * how long a drain may wait for in-flight requests.
 */
public record BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout) implements KindSettings {
    public BuiltinRouterSettings {
        host = host == null ? "0.0.0.0" : host;
        port = Ports.check("router.port", port, 8080);
        adminPort = Ports.check("router.adminPort", adminPort, 8079);
        if (port.equals(adminPort)) {
            throw new IllegalArgumentException("router.port and router.adminPort are both " + port);
        }
        drainTimeout = Durations.positive("router.drainTimeout", drainTimeout, Duration.ofSeconds(30));
    }

    public static BuiltinRouterSettings defaults() {
        return new BuiltinRouterSettings(null, null, null, null);
    }

    @Override
    public Map<String, Integer> localPorts() {
        return Map.of("router.port", port, "router.adminPort", adminPort);
    }
}
