package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.traffic.Router;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;

/**
 * {@code switchman up}: starts the long-lived local parts for one machine: the embedded database (when the config
 * says {@code embedded}) and the builtin router. Both outlive this command; {@code switchman down} stops them.
 */
@Command(name = "up", description = "Start the embedded database and the builtin router (they keep running).")
final class UpCommand extends BaseCommand {

    @Override
    protected int execute() throws Exception {
        LoadedConfig config = loadConfig();
        DatabaseInfo db = Wiring.database(config);
        err.println("database     " + db + (config.config().database().isEmbedded() ? " (embedded, data in " + config.stateDir().resolve("postgres") + ")" : ""));
        boolean started = false;
        try (Wiring wiring = Wiring.open(config)) {
            await(wiring.seams.store().migrate());
            if (config.config().router().type().equals("builtin")) {
                if (!reachable(wiring.seams.router())) {
                    Process router = RouterProcess.start(config);
                    started = true;
                    waitFor(wiring.seams.router(), router, config, Duration.ofSeconds(30));
                }
                err.println("router       " + (started ? "started" : "already running") + " on port "
                        + config.config().router().port() + " (admin 127.0.0.1:" + config.config().router().adminPort()
                        + ", log " + RouterProcess.logFile(config) + ")");
            }
        }
        printJson(new JsonObject().put("database", db.toString()).put("routerStarted", started)
                .put("routerPort", config.config().router().port()));
        return 0;
    }

    private static boolean reachable(Router router) {
        try {
            await(router.status());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits for the router's admin API, bounded; a router that exits (say, its port is taken) ends the wait. */
    private static void waitFor(Router router, Process process, LoadedConfig config, Duration bound) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            if (process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new ConfigException("the router exited at start (code " + process.exitValue() + "): "
                        + tail(RouterProcess.logFile(config)));
            }
            if (reachable(router)) {
                return;
            }
        }
        process.destroy();
        throw new ConfigException("the router did not answer within " + bound.toSeconds() + " s; see " + RouterProcess.logFile(config));
    }

    private static String tail(java.nio.file.Path log) {
        try {
            var lines = java.nio.file.Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (java.io.IOException e) {
            return "see " + log;
        }
    }
}
