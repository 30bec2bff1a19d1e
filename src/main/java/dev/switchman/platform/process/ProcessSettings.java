package dev.switchman.platform.process;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Placeholders;
import dev.switchman.config.Ports;
import dev.switchman.model.Colour;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code platform} for {@code type: process}: the command line (a list, no shell) and environment, both with
 * placeholders, the port of each slot, how long a slot may take to open its port, and how long it gets to stop
 * after SIGTERM before SIGKILL.
 */
public record ProcessSettings(
        List<String> command,
        Map<String, String> env,
        String workingDir,
        String host,
        SlotPorts ports,
        Duration startTimeout,
        Duration stopGrace) implements KindSettings {

    /** {@code platform.ports}: the port each slot listens on. */
    public record SlotPorts(Integer blue, Integer green) {
        public SlotPorts {
            blue = Ports.check("platform.ports.blue", blue, 8081);
            green = Ports.check("platform.ports.green", green, 8082);
            if (blue.equals(green)) {
                throw new IllegalArgumentException("platform.ports.blue and platform.ports.green are both " + blue);
            }
        }
    }

    public ProcessSettings {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDir = workingDir == null ? "." : workingDir;
        host = host == null ? "127.0.0.1" : host;
        ports = ports == null ? new SlotPorts(null, null) : ports;
        startTimeout = Durations.positive("platform.startTimeout", startTimeout, Duration.ofSeconds(30));
        stopGrace = Durations.notNegative("platform.stopGrace", stopGrace, Duration.ofSeconds(10));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("platform.command is required for type 'process' (a list: the program and"
                    + " its arguments, e.g. [\"python3\", \"app.py\"])");
        }
        for (int i = 0; i < command.size(); i++) {
            Placeholders.check("platform.command[" + i + "]", command.get(i), Placeholders.SLOT);
        }
        env.forEach((k, v) -> Placeholders.check("platform.env." + k, v, Placeholders.SLOT));
    }

    public int port(Colour colour) {
        return colour == Colour.BLUE ? ports.blue() : ports.green();
    }

    @Override
    public Map<String, Integer> localPorts() {
        return Map.of("platform.ports.blue", ports.blue(), "platform.ports.green", ports.green());
    }
}
