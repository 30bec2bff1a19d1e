package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.release.Wiring;
import dev.switchman.traffic.RouterDaemon;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

/**
 * {@code switchman up}: starts the long-lived local parts for one machine: the embedded database (when the config
 * says {@code embedded}) and the router, when its kind is one Switchman serves itself. Both outlive this command;
 * {@code switchman down} stops them.
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
            if (wiring.routerDaemon.isPresent()) {
                RouterDaemon daemon = wiring.routerDaemon.get();
                started = RouterProcess.ensureRunning(config, daemon, wiring.seams.router());
                err.println("router       " + (started ? "started" : "already running") + " on " + daemon.describe()
                        + " (log " + RouterProcess.logFile(config, daemon) + ")");
            } else {
                err.println("router       " + config.config().router().type() + ": runs as its own daemon, not started by switchman");
            }
        }
        printJson(new JsonObject().put("database", db.toString()).put("routerStarted", started)
                .put("router", describe(config)));
        return 0;
    }

    private static String describe(LoadedConfig config) {
        return Wiring.routerDaemon(config).map(RouterDaemon::describe).orElse(config.config().router().type());
    }
}
