package dev.switchman.config;

import dev.switchman.model.Colour;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where slots run. For {@code type: process}: the command line (a list, no shell) and environment, both with
 * placeholders, the port of each colour, how long a slot may take to open its port, and how long it gets to
 * stop after SIGTERM before SIGKILL.
 */
public record PlatformConfig(
        String type,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        String host,
        Ports ports,
        Duration startTimeout,
        Duration stopGrace) {

    public record Ports(Integer blue, Integer green) {
        public Ports {
            blue = checkPort("platform.ports.blue", blue, 8081);
            green = checkPort("platform.ports.green", green, 8082);
            if (blue.equals(green)) {
                throw new IllegalArgumentException("platform.ports.blue and platform.ports.green are both " + blue);
            }
        }
    }

    public PlatformConfig {
        type = type == null ? "process" : type;
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDir = workingDir == null ? "." : workingDir;
        host = host == null ? "127.0.0.1" : host;
        ports = ports == null ? new Ports(null, null) : ports;
        startTimeout = Durations.positive("platform.startTimeout", startTimeout, Duration.ofSeconds(30));
        stopGrace = Durations.notNegative("platform.stopGrace", stopGrace, Duration.ofSeconds(10));
        if (type.equals("process") && command.isEmpty()) {
            throw new IllegalArgumentException("platform.command is required for type 'process' (a list: the program and its arguments)");
        }
        for (int i = 0; i < command.size(); i++) {
            Placeholders.check("platform.command[" + i + "]", command.get(i), Placeholders.SLOT);
        }
        env.forEach((k, v) -> Placeholders.check("platform.env." + k, v, Placeholders.SLOT));
    }

    public int port(Colour colour) {
        return colour == Colour.BLUE ? ports.blue() : ports.green();
    }

    static Integer checkPort(String key, Integer value, int fallback) {
        int port = value == null ? fallback : value;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port between 1 and 65535, got " + port);
        }
        return port;
    }
}
