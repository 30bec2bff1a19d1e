package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.db.EmbeddedDatabase;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.Wiring;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchman down}: stops what {@code up} started (router, embedded database) and, with --slots, the slots. */
@Command(name = "down", description = "Stop the builtin router and the embedded database (and the slots with --slots).")
final class DownCommand extends BaseCommand {

    @Option(names = "--slots", description = "Also stop the application's slots recorded in the store.")
    boolean slots;

    @Override
    protected int execute() throws Exception {
        LoadedConfig config = loadConfigWithoutStrategy(); // tearing down needs no strategy
        int stoppedSlots = 0;
        EmbeddedDatabase embedded = new EmbeddedDatabase(config.stateDir());
        boolean dbRunning = !config.config().database().isEmbedded() || embedded.running().isPresent();
        if (slots && dbRunning) {
            try (Wiring wiring = Wiring.open(config)) {
                await(wiring.seams.store().migrate());
                List<SlotRecord> records = await(wiring.seams.store().slots(config.application()));
                for (SlotRecord slot : records) {
                    await(wiring.seams.platform().stop(slot));
                    await(wiring.seams.store().deleteSlot(config.application(), slot.colour()));
                    err.println("slot         " + slot.colour() + " (" + slot.version() + ") stopped");
                    stoppedSlots++;
                }
            }
        }
        boolean router = RouterProcess.stop(config, Duration.ofSeconds(10));
        err.println("router       " + (router ? "stopped" : "was not running"));
        boolean db = config.config().database().isEmbedded() && embedded.stop(Duration.ofSeconds(30));
        err.println("database     " + (db ? "stopped" : config.config().database().isEmbedded() ? "was not running" : "external: left alone"));
        printJson(new JsonObject().put("routerStopped", router).put("databaseStopped", db).put("slotsStopped", stoppedSlots));
        return 0;
    }
}
