package dev.switchman.migration.command;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Placeholders;
import dev.switchman.migration.SchemaChecks;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code migrator} for {@code type: command}: any migration tool, as commands (lists: the program and its
 * arguments, no shell), with placeholders. {@code expand} and {@code contract} are required; {@code undoExpand}
 * brings the schema back to {@code {schema.before}}, the revision {@code current} printed before expand (its last
 * line's first word; {@code initialRevision} when it printed none, {@code base} by default, Alembic's name for an
 * empty schema). {@code plan} prints each phase's SQL without running it. Each command runs in {@code workingDir}
 * with libpq's variables, {@code PGOPTIONS} carrying {@code lock_timeout}, and {@code env}; a command whose
 * output says it timed out on a lock is run again, up to {@code lockRetries} times; one that runs longer than
 * {@code timeout} is stopped and fails its gate. {@code verify}: what must hold after expand and after contract.
 */
public record CommandSettings(
        List<String> expand,
        List<String> contract,
        List<String> undoExpand,
        List<String> current,
        PlanCommands plan,
        Map<String, String> env,
        String workingDir,
        String initialRevision,
        Duration lockTimeout,
        Integer lockRetries,
        Duration timeout,
        SchemaChecks verify) implements KindSettings {

    /** {@code migrator.plan}: what prints the SQL each phase would run, e.g. {@code alembic upgrade --sql}. */
    public record PlanCommands(List<String> expand, List<String> contract) {
        public PlanCommands {
            expand = expand == null ? List.of() : List.copyOf(expand);
            contract = contract == null ? List.of() : List.copyOf(contract);
        }
    }

    /** Without checks after the phases. */
    public CommandSettings(List<String> expand, List<String> contract, List<String> undoExpand, List<String> current,
                           PlanCommands plan, Map<String, String> env, String workingDir, String initialRevision,
                           Duration lockTimeout, Integer lockRetries, Duration timeout) {
        this(expand, contract, undoExpand, current, plan, env, workingDir, initialRevision, lockTimeout, lockRetries,
                timeout, null);
    }

    public CommandSettings {
        verify = verify == null ? SchemaChecks.none() : verify;
        expand = required("migrator.expand", expand);
        contract = required("migrator.contract", contract);
        undoExpand = undoExpand == null ? List.of() : List.copyOf(undoExpand);
        current = current == null ? List.of() : List.copyOf(current);
        plan = plan == null ? new PlanCommands(null, null) : plan;
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDir = workingDir == null ? "." : workingDir;
        initialRevision = initialRevision == null ? "base" : initialRevision;
        lockTimeout = Durations.positive("migrator.lockTimeout", lockTimeout, Duration.ofSeconds(1));
        lockRetries = lockRetries == null ? 3 : lockRetries;
        timeout = Durations.positive("migrator.timeout", timeout, Duration.ofMinutes(30));
        if (lockRetries < 0 || lockRetries > 100) {
            throw new IllegalArgumentException("migrator.lockRetries must be between 0 and 100, got " + lockRetries);
        }
        // {schema.before} has a value only where `current` ran first, and only after it.
        Set<String> withBefore = Placeholders.MIGRATOR;
        Set<String> withoutBefore = new HashSet<>(Placeholders.MIGRATOR);
        withoutBefore.remove("schema.before");
        Set<String> afterCurrent = current.isEmpty() ? withoutBefore : withBefore;
        check("migrator.expand", expand, withoutBefore);
        check("migrator.contract", contract, withoutBefore);
        check("migrator.current", current, withoutBefore);
        if (!undoExpand.isEmpty() && current.isEmpty() && undoExpand.stream().anyMatch(a -> a.contains("{schema.before}"))) {
            throw new IllegalArgumentException("migrator.undoExpand uses {schema.before}, which is the revision"
                    + " migrator.current prints before expand: set migrator.current (e.g. [\"alembic\", \"current\"])");
        }
        check("migrator.undoExpand", undoExpand, afterCurrent);
        check("migrator.plan.expand", plan.expand(), afterCurrent);
        check("migrator.plan.contract", plan.contract(), afterCurrent);
        env.forEach((k, v) -> Placeholders.check("migrator.env." + k, v, withoutBefore));
    }

    private static List<String> required(String key, List<String> command) {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException(key + " is required for type 'command' (a list: the program and its"
                    + " arguments, e.g. [\"alembic\", \"upgrade\", \"expand@head\"])");
        }
        return List.copyOf(command);
    }

    private static void check(String key, List<String> command, Set<String> known) {
        for (int i = 0; i < command.size(); i++) {
            Placeholders.check(key + "[" + i + "]", command.get(i), known);
        }
    }
}
