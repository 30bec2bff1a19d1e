package dev.switchman.util;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The environment of a process that outlives the command starting it (a slot, the router): the parent's, less the
 * variables that would let a CD runner kill it when the job that ran the command ends, less what it must not get.
 */
public final class ChildEnvironment {
    /**
     * Variables a CD runner puts in a job's environment and looks for, when the job ends, in every process's
     * environment, to kill the processes carrying them. Each with why it is dropped.
     */
    public static final SequencedMap<String, String> JOB_TRACKING = tracking();
    private static final String PGPASSWORD = "PGPASSWORD";
    /** The router's admin token: only the router and Switchman's own commands need it. */
    public static final String ROUTER_TOKEN = "SWITCHMAN_ROUTER_TOKEN";
    /** The token of {@code switchman serve}'s API: only the server reads it, no process it starts needs it. */
    public static final String API_TOKEN = "SWITCHMAN_API_TOKEN";

    private ChildEnvironment() {}

    private static SequencedMap<String, String> tracking() {
        SequencedMap<String, String> why = new LinkedHashMap<>();
        why.put("RUNNER_TRACKING_ID", "GitHub Actions: the runner kills the processes carrying it when the job ends");
        why.put("BUILD_ID", "Jenkins (freestyle jobs): the ProcessTreeKiller kills the processes carrying it");
        why.put("JENKINS_NODE_COOKIE", "Jenkins Pipeline: the ProcessTreeKiller's variable for a pipeline's steps");
        why.put("JENKINS_SERVER_COOKIE", "Jenkins durable tasks (sh steps): stopping a step kills the processes carrying it");
        why.put("VSTS_PROCESS_LOOKUP_ID", "Azure Pipelines: the agent's process cleanup kills the processes carrying it");
        return Collections.unmodifiableSequencedMap(why);
    }

    /** {@code parent} without the {@link #JOB_TRACKING} variables and without {@code withheld}. */
    public static Map<String, String> longLived(Map<String, String> parent, Collection<String> withheld) {
        Map<String, String> env = new HashMap<>(parent);
        env.keySet().removeAll(JOB_TRACKING.keySet());
        env.keySet().removeAll(withheld);
        env.remove(API_TOKEN);
        return env;
    }

    /**
     * A long-lived environment for a process that never connects to the database (the router): without the variable
     * the config names in {@code database.passwordEnv} (may be null), nor libpq's PGPASSWORD, which clients read unasked.
     */
    public static Map<String, String> withoutDatabasePassword(Map<String, String> parent, String passwordEnv) {
        return longLived(parent, passwordEnv == null ? Set.of(PGPASSWORD) : Set.copyOf(List.of(PGPASSWORD, passwordEnv)));
    }

    /**
     * The environment of a short-lived tool Switchman runs against the application's database (a migration tool,
     * a backup, a check): {@code parent} without the router's token, with libpq's variables for the database set
     * over it.
     */
    public static Map<String, String> forDatabaseTool(Map<String, String> parent, Map<String, String> databaseEnv) {
        Map<String, String> env = new HashMap<>(parent);
        env.remove(ROUTER_TOKEN);
        env.remove(API_TOKEN);
        env.putAll(databaseEnv);
        return env;
    }

    /** Gives {@code builder} exactly {@code env}, instead of the copy of this JVM's environment it starts with. */
    public static ProcessBuilder use(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }
}
