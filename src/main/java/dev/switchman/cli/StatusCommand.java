package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.Wiring;
import dev.switchman.store.LiveState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.traffic.RouterStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchman status}: the live colour and version, the router's weights, the schema tag, slots, and any release
 * in progress. Exits 3 (a person must act) when the router does not answer, after printing the report.
 */
@Command(name = "status", description = "Show the live colour and version, weights, schema tag, slots and any release in progress.")
final class StatusCommand extends BaseCommand {

    @Mixin
    RemoteOptions remote;

    @Override
    protected int execute() {
        if (remote.remote()) {
            return Remote.status(remote.client(), err, this::printJson, json);
        }
        LoadedConfig config = loadConfig();
        String app = config.application();
        try (Wiring wiring = Wiring.openToRead(config)) {
            await(wiring.seams.store().migrate());
            Optional<LiveState> live = await(wiring.seams.store().live(app));
            Optional<ReleaseRecord> unfinished = await(wiring.seams.store().unfinished(app));
            List<SlotRecord> slots = await(wiring.seams.store().slots(app));
            RouterStatus router = null;
            String routerError = null;
            try {
                router = await(wiring.seams.router().status());
            } catch (RuntimeException e) {
                routerError = e.getMessage();
            }
            String tag = await(wiring.seams.store().schemaTag(app, wiring.seams.migrator().mayUndoExpand())).orElse(null);
            // The router is how users reach the live slot: while it does not answer, a person must act.
            int exitCode = routerError == null ? ExitCode.RELEASED : ExitCode.ACT_NOW;

            // The report goes to stdout, as text or (with --json) as the JSON object; errors go to stderr.
            PrintStream out = System.out;
            Map<SlotRecord, Boolean> running = new HashMap<>();
            for (SlotRecord slot : slots) {
                running.put(slot, await(wiring.seams.platform().isRunning(slot)));
            }
            if (!json) {
                out.println("application  " + app);
                out.println("live         " + live.map(l -> l.colour() + " (" + l.version() + ") since " + l.since()).orElse("nothing released yet"));
                if (router != null && router.target() != null) {
                    out.println("weights      blue " + router.target().weight(Colour.BLUE) + "%, green " + router.target().weight(Colour.GREEN) + "%");
                } else {
                    out.println("weights      " + (routerError != null ? "router unreachable: " + routerError : "none set"));
                }
                for (SlotRecord slot : slots) {
                    out.println("slot         " + slot.colour() + " " + slot.version() + " " + slot.endpoints() + " handle "
                            + slot.handle() + (running.get(slot) ? " (running)" : " (NOT running: see " + slot.logFile() + ")"));
                }
                out.println("schema tag   " + (tag == null ? "none" : tag));
                out.println("in progress  " + unfinished.map(r -> "#" + r.id() + " " + r.version() + " " + r.state()
                        + " at gate " + r.gate() + (r.state() == ReleaseState.RUNNING ? " (if no coordinator runs, 'switchman rollback')" : "")).orElse("none"));
            }
            if (routerError != null) {
                err.println("switchman: router (" + config.config().router().type() + "): " + routerError);
            }

            JsonArray slotJson = new JsonArray();
            slots.forEach(s -> slotJson.add(new JsonObject().put("colour", s.colour().id()).put("version", s.version())
                    .put("endpoints", s.endpoints().stream().map(Object::toString).toList()).put("handle", s.handle())
                    .put("running", running.get(s))));
            JsonObject weights = router == null || router.target() == null ? null
                    : new JsonObject().put("blue", router.target().weight(Colour.BLUE)).put("green", router.target().weight(Colour.GREEN));
            printJson(new JsonObject()
                    .put("application", app)
                    .put("exitCode", exitCode)
                    .put("live", live.map(l -> new JsonObject().put("colour", l.colour().id()).put("version", l.version())).orElse(null))
                    .put("weights", weights)
                    .put("routerError", routerError)
                    .put("slots", slotJson)
                    .put("schemaTag", tag)
                    .put("inProgress", unfinished.map(r -> new JsonObject().put("release", r.id()).put("version", r.version())
                            .put("state", r.state().name()).put("gate", r.gate())).orElse(null)));
            return exitCode;
        }
    }
}
