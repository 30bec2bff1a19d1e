package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import io.vertx.core.json.JsonObject;
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
                started = RouterProcess.ensureRunning(config, wiring.seams.router());
                err.println("router       " + (started ? "started" : "already running") + " on port "
                        + config.config().router().port() + " (admin 127.0.0.1:" + config.config().router().adminPort()
                        + ", log " + RouterProcess.logFile(config) + ")");
            }
        }
        printJson(new JsonObject().put("database", db.toString()).put("routerStarted", started)
                .put("routerPort", config.config().router().port()));
        return 0;
    }
}
