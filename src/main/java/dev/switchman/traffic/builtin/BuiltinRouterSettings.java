package dev.switchman.traffic.builtin;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code router} for {@code type: builtin}: the public address it serves, the loopback port of its admin API, how
 * long a drain may wait for in-flight requests, the proxies in front whose forwarded headers it keeps, how long the
 * router process warms up before it takes traffic, the path a load balancer in front checks it on, an optional
 * address on which Prometheus on another host scrapes its metrics, the certificate the public port serves HTTPS with
 * (null: plain HTTP), the cookie that keeps a client on one colour (null: none, each request goes by weight), and
 * the sockets the router process runs on ({@link RouterTransport}).
 */
public record BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout,
                                    List<String> trustedProxies, Duration warmup, String healthPath,
                                    String metricsHost, Integer metricsPort, RouterTls tls, StickySessions sticky,
                                    RouterTransport transport)
        implements KindSettings {

    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    static final String DEFAULT_HEALTH_PATH = "/__switchman/health";

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
        warmup = Durations.notNegative("router.warmup", warmup, DEFAULT_WARMUP);
        healthPath = healthPath == null ? DEFAULT_HEALTH_PATH : healthPath;
        if (!healthPath.startsWith("/") || healthPath.contains("?") || healthPath.contains("#") || healthPath.isBlank()) {
            throw new IllegalArgumentException("router.healthPath must be a path starting with /, without ? or #, got '"
                    + healthPath + "'");
        }
        if (metricsPort != null) {
            Ports.check("router.metricsPort", metricsPort, 0);
            if (metricsPort.equals(port) || metricsPort.equals(adminPort)) {
                throw new IllegalArgumentException("router.metricsPort " + metricsPort + " is also router."
                        + (metricsPort.equals(port) ? "port" : "adminPort") + ": give it a port of its own");
            }
            metricsHost = metricsHost == null ? host : metricsHost;
        } else if (metricsHost != null) {
            throw new IllegalArgumentException("router.metricsHost is set without router.metricsPort: set both, or neither");
        }
        transport = transport == null ? RouterTransport.AUTO : transport;
    }

    /** Trusting the proxies listed, with the defaults for the rest. */
    public BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout,
                                 List<String> trustedProxies) {
        this(host, port, adminPort, drainTimeout, trustedProxies, null, null, null, null, null, null, null);
    }

    /** Trusting no proxy. */
    public BuiltinRouterSettings(String host, Integer port, Integer adminPort, Duration drainTimeout) {
        this(host, port, adminPort, drainTimeout, null);
    }

    public static BuiltinRouterSettings defaults() {
        return new BuiltinRouterSettings(null, null, null, null, null);
    }

    /** The same settings with the metrics served on {@code metricsHost:metricsPort} besides the admin port. */
    public BuiltinRouterSettings withMetrics(String metricsHost, Integer metricsPort) {
        return new BuiltinRouterSettings(host, port, adminPort, drainTimeout, trustedProxies, warmup, healthPath,
                metricsHost, metricsPort, tls, sticky, transport);
    }

    /** The same settings with another warm-up. */
    public BuiltinRouterSettings withWarmup(Duration warmup) {
        return new BuiltinRouterSettings(host, port, adminPort, drainTimeout, trustedProxies, warmup, healthPath,
                metricsHost, metricsPort, tls, sticky, transport);
    }

    /** The same settings serving HTTPS with {@code tls} (null: plain HTTP). */
    public BuiltinRouterSettings withTls(RouterTls tls) {
        return new BuiltinRouterSettings(host, port, adminPort, drainTimeout, trustedProxies, warmup, healthPath,
                metricsHost, metricsPort, tls, sticky, transport);
    }

    /** The same settings keeping each client on a colour with {@code sticky} (null: none). */
    public BuiltinRouterSettings withSticky(StickySessions sticky) {
        return new BuiltinRouterSettings(host, port, adminPort, drainTimeout, trustedProxies, warmup, healthPath,
                metricsHost, metricsPort, tls, sticky, transport);
    }

    /** The certificate files taken from the config file's directory when relative, and checked. */
    @Override
    public BuiltinRouterSettings relativeTo(Path configDir) {
        return tls == null ? this : withTls(tls.relativeTo(configDir));
    }

    @Override
    public Map<String, Integer> localPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("router.port", port);
        ports.put("router.adminPort", adminPort);
        if (metricsPort != null) {
            ports.put("router.metricsPort", metricsPort);
        }
        return Map.copyOf(ports);
    }
}
