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
        boolean started = false;
        String router = config.config().router().type();
        DatabaseInfo db;
        // Opening the wiring starts the embedded database when it is not running: no second look for it.
        try (Wiring wiring = Wiring.open(config)) {
            db = wiring.database;
            err.println("database     " + db + (config.config().database().isEmbedded()
                    ? " (embedded, data in " + config.stateDir().resolve("postgres") + ")" : ""));
            await(wiring.seams.store().migrate());
            if (wiring.routerDaemon.isPresent()) {
                RouterDaemon daemon = wiring.routerDaemon.get();
                router = daemon.describe();
                started = RouterProcess.ensureRunning(config, daemon, wiring.seams.router());
                err.println("router       " + (started ? "started" : "already running") + " on " + router
                        + " (log " + RouterProcess.logFile(config, daemon) + ")");
            } else {
                err.println("router       " + router + ": runs as its own daemon, not started by switchman");
            }
        }
        printJson(new JsonObject().put("database", db.toString()).put("routerStarted", started).put("router", router));
        return 0;
    }
}
