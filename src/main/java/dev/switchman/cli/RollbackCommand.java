package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.Recovery;
import dev.switchman.release.ReleaseContext;
import dev.switchman.release.Wiring;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code switchman rollback}: undoes the application's unfinished release from the state the store kept, also
 * after its coordinator was killed. Refuses past contract (the point of no return).
 */
@Command(name = "rollback", description = "Roll back the application's unfinished release (works after the coordinator died).")
final class RollbackCommand extends BaseCommand {

    @picocli.CommandLine.Option(names = "--changelog", description = "The release's changelog, when it is no longer at the path"
            + " it was released from (needed only to undo expand).")
    String changelog;

    @Override
    protected int execute() {
        long start = System.nanoTime();
        LoadedConfig config = loadConfig();
        try (Wiring wiring = Wiring.open(config)) {
            BaseCommand.await(wiring.seams.store().migrate());
            // Version and changelog come from the release's record.
            ReleaseContext ctx = new ReleaseContext(wiring.vertx, config, wiring.seams, wiring.clock, Progress.to(err), null, null);
            String moved = changelog == null || changelog.startsWith("classpath:") ? changelog
                    : Path.of(changelog).toAbsolutePath().toString();
            Outcome outcome;
            try {
                outcome = await(Recovery.rollBack(ctx, moved));
            } finally {
                ctx.progress.flush();
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            String version = ctx.record == null ? null : ctx.record.version();
            err.println(OutcomeJson.headline(config.application(), version == null ? "" : version, outcome) + " in " + wall + " ms");
            printJson(OutcomeJson.of(config.application(), version, outcome, wall));
            return switch (outcome.exitCode()) {
                case 1 -> 0; // rolled back, as asked
                default -> outcome.exitCode();
            };
        }
    }
}
