package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Steering;
import dev.switchman.release.Wiring;
import dev.switchman.store.ReleaseRecord;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchman promote}: approves the wait of the release in progress (an approve step, or the strategy's
 * {@code approveContract}). Only the wait it saw is approved; with none, exit 2 and nothing changes.
 */
@Command(name = "promote", description = "Let the release in progress go on past the promote it waits for.")
final class PromoteCommand extends BaseCommand {

    @Mixin
    RemoteOptions remote;

    @Override
    protected int execute() {
        if (remote.remote()) {
            return Remote.steer(remote.client(), "promote", err, this::printJson);
        }
        LoadedConfig config = loadConfig();
        String app = config.application();
        try (Wiring wiring = Wiring.openToRead(config)) {
            Steering.Promoted promoted = await(Steering.promote(wiring.seams.store(), app));
            ReleaseRecord release = promoted.release();
            err.println("switchman: promoted release #" + release.id() + " " + release.version() + " of " + app
                    + " (it waited to '" + promoted.awaited() + "')");
            printJson(new JsonObject().put("application", app).put("release", release.id()).put("version", release.version())
                    .put("gate", release.gate()).put("promoted", promoted.awaited()).put("exitCode", ExitCode.RELEASED));
            return ExitCode.RELEASED;
        }
    }
}
