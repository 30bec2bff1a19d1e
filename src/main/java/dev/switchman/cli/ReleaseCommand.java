package dev.switchman.cli;

import ch.qos.logback.classic.Level;
import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Abort;
import dev.switchman.release.Coordinator;
import dev.switchman.release.Outcome;
import dev.switchman.release.OutcomeJson;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.telemetry.ReleaseTelemetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchman release <version>}: one zero-downtime release, rolled back at whichever gate fails. */
@Command(name = "release", description = "Release a version: expand, deploy the new version, check, shift, bake, contract, retire the old one.")
final class ReleaseCommand extends BaseCommand {

    @Mixin
    VersionOptions target;

    @Mixin
    RemoteOptions remote;

    @Override
    protected int execute() {
        if (remote.remote()) {
            return Remote.release(remote.client(), target.version(), target.changelog, err, this::printJson);
        }
        long start = System.nanoTime();
        LoadedConfig config = loadConfig();
        // Closed last: its export runs once the release ended however it did, and never changes the exit code.
        try (ReleaseTelemetry telemetry = ReleaseTelemetry.open(config, err)) {
            try {
                return release(config, telemetry, start);
            } catch (RuntimeException e) {
                telemetry.failed(unwrap(e));
                throw e;
            }
        }
    }

    private int release(LoadedConfig config, ReleaseTelemetry telemetry, long start) {
        String version = target.version();
        try (Wiring wiring = Wiring.open(config)) {
            CiOutput ci = CiOutput.of(new ProgressPrinter(err), System.getenv());
            Progress progress = telemetry.alongside(ci);
            Abort abort = new Abort();
            Outcome outcome;
            try (Signals signals = Signals.handle(signal -> cancel(abort, signal))) {
                outcome = await(new Coordinator(wiring).release(version, target.changelog, progress, abort));
            } finally {
                progress.flush();
            }
            telemetry.ended(outcome);
            long wall = (System.nanoTime() - start) / 1_000_000;
            String headline = OutcomeJson.headline(config.application(), outcome) + " in " + wall + " ms";
            LogFormat.print(err, Level.INFO, headline);
            ci.finish(config.application(), outcome, headline, err);
            printJson(OutcomeJson.of(config.application(), outcome, wall));
            return outcome.exitCode();
        }
    }

    /** The first signal stops the release in order; later ones only say that it is on its way. */
    private void cancel(Abort abort, String signal) {
        if (abort.request("cancelled by " + signal + " (the job running the release was cancelled)")) {
            err.println("switchman: " + signal + ": stopping the release: before contract it is rolled back, past"
                    + " contract it is finished; a second signal does not interrupt that");
        } else {
            err.println("switchman: " + signal + " again: the release is already stopping and will not be left half-done"
                    + " (kill -9 would leave it to 'switchman rollback')");
        }
    }
}
