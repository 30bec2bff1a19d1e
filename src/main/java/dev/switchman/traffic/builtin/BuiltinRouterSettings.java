package dev.switchman.traffic.builtin;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code router} for {@code type: builtin}: the public address it serves, the loopback port of its admin API, how
 * long a drain may wait for in-flight requests, and the proxies in front whose forwarded headers it keeps.
 */
public record BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout,
                                    List<String> trustedProxies) implements KindSettings {
    public BuiltinRouterSettings {
        host = host == null ? "0.0.0.0" : host;
        port = Ports.check("router.port", port, 8080);
        adminPort = Ports.check("router.adminPort", adminPort, 8079);
        if (port.equals(adminPort)) {
            throw new IllegalArgumentException("router.port and router.adminPort are both " + port);
        }
        drainTimeout = Durations.positive("router.drainTimeout", drainTimeout, Duration.ofSeconds(30));
        TrustedProxies.parse(trustedProxies); // refuses a bad entry here, naming it
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** Trusting no proxy. */
    public BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout) {
        this(host, port, adminPort, drainTimeout, null);
    }

    public static BuiltinRouterSettings defaults() {
        return new BuiltinRouterSettings(null, null, null, null, null);
    }

    @Override
    public Map<String, Integer> localPorts() {
        return Map.of("router.port", port, "router.adminPort", adminPort);
    }
}
