package dev.switchman.health.command;

import dev.switchman.config.Placeholders;
import dev.switchman.health.HealthSettings;
import dev.switchman.health.ProbeSchedule;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code health} for {@code type: command}: a probe runs {@code command} (a list: the program and its arguments,
 * no shell) in {@code workingDir}, and passes when it exits 0. The other keys are the {@link ProbeSchedule} every
 * kind shares; {@code timeout} also bounds the command, which is stopped when it runs over.
 */
public record CommandHealthSettings(
        List<String> command,
        String workingDir,
        Duration interval,
        Duration timeout,
        Integer successes,
        Duration deadline,
        Integer failures) implements HealthSettings {

    /** What a probe's command may name; {@code {url}} is {@code http://{host}:{port}}. */
    public static final Set<String> PLACEHOLDERS = Set.of("app", "host", "port", "url", "colour", "version");

    public CommandHealthSettings {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("health.command is required for type 'command' (a list: the program and"
                    + " its arguments, e.g. [\"curl\", \"-fsS\", \"{url}/ready\"])");
        }
        command = List.copyOf(command);
        for (int i = 0; i < command.size(); i++) {
            Placeholders.check("health.command[" + i + "]", command.get(i), PLACEHOLDERS);
        }
        workingDir = workingDir == null ? "." : workingDir;
        ProbeSchedule schedule = new ProbeSchedule(interval, timeout, successes, deadline, failures);
        interval = schedule.interval();
        timeout = schedule.timeout();
        successes = schedule.successes();
        deadline = schedule.deadline();
        failures = schedule.failures();
    }

    @Override
    public ProbeSchedule schedule() {
        return new ProbeSchedule(interval, timeout, successes, deadline, failures);
    }

    public boolean uses(String placeholder) {
        return command.stream().anyMatch(a -> a.contains("{" + placeholder + "}"));
    }
}
