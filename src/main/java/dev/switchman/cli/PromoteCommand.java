package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Wiring;
import dev.switchman.store.Decision;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

/**
 * {@code switchman promote}: approves the wait of the release in progress (an approve step, or the strategy's
 * {@code approveContract}). Only the wait it saw is approved; with none, exit 2 and nothing changes.
 */
@Command(name = "promote", description = "Let the release in progress go on past the promote it waits for.")
final class PromoteCommand extends BaseCommand {

    @Override
    protected int execute() {
        LoadedConfig config = loadConfig();
        String app = config.application();
        try (Wiring wiring = Wiring.openToRead(config)) {
            ReleaseStore store = wiring.seams.store();
            ReleaseRecord release = RunningRelease.find(store, app, "promote");
            Decision decision = await(store.decision(release.id())).orElseThrow();
            if (!decision.waiting()) {
                throw new ConfigException("nothing waits for a promote: " + RunningRelease.describe(release));
            }
            if (!RunningRelease.coordinated(store, app)) {
                throw new ConfigException(RunningRelease.describe(release) + " but no coordinator runs it (it was"
                        + " interrupted): run 'switchman rollback'");
            }
            if (!await(store.promote(release.id(), decision.awaiting()))) {
                throw new ConfigException("release #" + release.id() + " no longer waits to '" + decision.awaiting()
                        + "' (its wait ended meanwhile); nothing was approved");
            }
            err.println("switchman: promoted release #" + release.id() + " " + release.version() + " of " + app
                    + " (it waited to '" + decision.awaiting() + "')");
            printJson(new JsonObject().put("application", app).put("release", release.id()).put("version", release.version())
                    .put("gate", release.gate()).put("promoted", decision.awaiting()).put("exitCode", ExitCode.RELEASED));
            return ExitCode.RELEASED;
        }
    }
}
