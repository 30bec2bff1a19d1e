package dev.switchman.traffic.command;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Placeholders;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code router} for {@code type: command}: any router driven through commands (lists: the program and its
 * arguments, no shell). {@code setWeights} applies an absolute target; {@code status}, when set, prints the router's
 * status JSON (the target applied, optionally per-colour counters); {@code drain}, when set, waits until a colour
 * has no request in flight, else Switchman waits {@code drainTime}. Each command runs in {@code workingDir} with
 * {@code env} over the coordinator's environment (without the database password), and is stopped past
 * {@code timeout}.
 */
public record CommandRouterSettings(
        List<String> setWeights,
        List<String> status,
        List<String> drain,
        Duration drainTime,
        Duration timeout,
        String workingDir,
        Map<String, String> env) implements KindSettings {

    /** Known wherever a router command or {@code router.env} is expanded. */
    public static final Set<String> COMMON = Set.of("app", "stateDir");
    /** What {@code setWeights} may name: the target, per colour and whole. */
    public static final Set<String> SET_WEIGHTS = union(COMMON,
            Set.of("blue.weight", "green.weight", "blue.endpoints", "green.endpoints", "target.json"));
    /** What {@code drain} may name: the colour to drain. */
    public static final Set<String> DRAIN = union(COMMON, Set.of("colour"));

    public CommandRouterSettings {
        if (setWeights == null || setWeights.isEmpty()) {
            throw new IllegalArgumentException("router.setWeights is required for type 'command' (a list: the program and"
                    + " its arguments, e.g. [\"curl\", \"-fsS\", \"-X\", \"PUT\", \"--data\", \"{target.json}\", \"http://lb/weights\"])");
        }
        setWeights = List.copyOf(setWeights);
        status = status == null ? List.of() : List.copyOf(status);
        drain = drain == null ? List.of() : List.copyOf(drain);
        drainTime = Durations.notNegative("router.drainTime", drainTime, Duration.ofSeconds(10));
        timeout = Durations.positive("router.timeout", timeout, Duration.ofSeconds(30));
        workingDir = workingDir == null ? "." : workingDir;
        env = env == null ? Map.of() : Map.copyOf(env);
        check("router.setWeights", setWeights, SET_WEIGHTS);
        check("router.status", status, COMMON);
        check("router.drain", drain, DRAIN);
        env.forEach((name, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("router.env." + name + " has no value (write \"\" for an empty one)");
            }
            Placeholders.check("router.env." + name, value, COMMON);
        });
    }

    public boolean hasStatus() {
        return !status.isEmpty();
    }

    public boolean hasDrain() {
        return !drain.isEmpty();
    }

    private static void check(String key, List<String> command, Set<String> known) {
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i) == null) {
                throw new IllegalArgumentException(key + "[" + i + "] is empty");
            }
            Placeholders.check(key + "[" + i + "]", command.get(i), known);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
