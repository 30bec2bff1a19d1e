package dev.switchman.config;

import java.time.Duration;

/**
 * The router in front of the slots. For {@code builtin}: the public port it serves, the loopback port of its
 * admin API, and how long a drain may wait for in-flight requests.
 */
public record RouterConfig(String type, String host, Integer port, Integer adminPort, Duration drainTimeout) {
    public RouterConfig {
        type = type == null ? "builtin" : type;
        host = host == null ? "0.0.0.0" : host;
        port = PlatformConfig.checkPort("router.port", port, 8080);
        adminPort = PlatformConfig.checkPort("router.adminPort", adminPort, 8079);
        if (port.equals(adminPort)) {
            throw new IllegalArgumentException("router.port and router.adminPort are both " + port);
        }
        drainTimeout = Durations.positive("router.drainTimeout", drainTimeout, Duration.ofSeconds(30));
    }

    public static RouterConfig defaults() {
        return new RouterConfig(null, null, null, null, null);
    }
}
