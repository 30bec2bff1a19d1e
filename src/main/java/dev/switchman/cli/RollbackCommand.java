package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Outcome;
import dev.switchman.release.OutcomeJson;
import dev.switchman.release.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchman rollback}: undoes the application's unfinished release from the state the store kept, also
 * after its coordinator was killed. A release past contract (the point of no return) is finished instead.
 */
@Command(name = "rollback", description = "Roll back the application's unfinished release (works after the coordinator died).")
final class RollbackCommand extends BaseCommand {

    @Option(names = "--changelog", description = "The release's changelog, when it is no longer at the path"
            + " it was released from (needed only to undo expand).")
    String changelog;

    @Mixin
    RemoteOptions remote;

    @Override
    protected int execute() {
        if (remote.remote()) {
            return Remote.steer(remote.client(), "rollback", err, this::printJson);
        }
        long start = System.nanoTime();
        LoadedConfig config = loadConfig();
        try (Wiring wiring = Wiring.open(config)) {
            Outcome outcome;
            // A rollback is never left half-done by a signal: it finishes, then exits.
            try (Signals signals = Signals.handle(signal -> err.println("switchman: " + signal
                    + ": the rollback goes on to its end (kill -9 would leave it to another 'switchman rollback')"))) {
                outcome = Rollbacks.run(wiring, changelog, err);
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            err.println(OutcomeJson.headline(config.application(), outcome) + " in " + wall + " ms");
            // Rolled back, as asked; the summary names the code the command exits with, for CD jobs that read either.
            int exitCode = outcome.exitCode() == ExitCode.ROLLED_BACK ? ExitCode.RELEASED : outcome.exitCode();
            printJson(OutcomeJson.of(config.application(), outcome, exitCode, wall));
            return exitCode;
        }
    }
}
