package dev.switchman.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code backup}: the command run before expand (a list, no shell, e.g. {@code ["pg_dump", "-Fc", "-f",
 * "{backup.file}"]}) with libpq's variables for the database in its environment, extra environment, the directory
 * the backup goes to ({@code {backup.dir}}, default {@code <stateDir>/backups}, relative to the config file's
 * directory when set), the command's working directory, and how long it may run. No section: no backup.
 */
public record BackupConfig(
        List<String> command,
        Map<String, String> env,
        String dir,
        String workingDir,
        Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public BackupConfig {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDir = workingDir == null ? "." : workingDir;
        timeout = Durations.positive("backup.timeout", timeout, DEFAULT_TIMEOUT);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("backup.command is required when the config has a backup section (a list:"
                    + " the program and its arguments, e.g. [\"pg_dump\", \"-Fc\", \"-f\", \"{backup.file}\"]); remove the"
                    + " backup section for no backup");
        }
        for (int i = 0; i < command.size(); i++) {
            Placeholders.check("backup.command[" + i + "]", command.get(i), Placeholders.BACKUP);
        }
        env.forEach((k, v) -> Placeholders.check("backup.env." + k, v, Placeholders.BACKUP));
        if (dir != null && dir.isBlank()) {
            throw new IllegalArgumentException("backup.dir is empty: name the directory backups go to, or leave it out"
                    + " for <stateDir>/backups");
        }
    }
}
