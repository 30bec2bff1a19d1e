package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.release.Coordinator;
import dev.switchman.release.Outcome;
import dev.switchman.release.Wiring;
import dev.switchman.telemetry.ReleaseTelemetry;
import java.io.PrintStream;

/**
 * A rollback this process runs ({@code rollback}, or {@code abort} with no coordinator left): its progress on
 * stderr, and its outcome exported as a release's ({@code metrics}), so that a release rolled back by hand counts in
 * {@code switchman_rollbacks_total} at the gate it was in. A refusal (nothing to roll back) exports nothing: the
 * application's group keeps what the last release or rollback said.
 */
final class Rollbacks {
    private Rollbacks() {}

    /** @param movedChangelog where the release's changelog is now, when it moved (or null) */
    static Outcome run(Wiring wiring, String movedChangelog, PrintStream err) {
        try (ReleaseTelemetry telemetry = ReleaseTelemetry.open(wiring.config, err)) {
            ProgressPrinter progress = new ProgressPrinter(err);
            try {
                Outcome outcome = BaseCommand.await(new Coordinator(wiring).rollBack(movedChangelog, telemetry.alongside(progress)));
                telemetry.ended(outcome);
                return outcome;
            } catch (RuntimeException e) {
                Throwable cause = BaseCommand.unwrap(e);
                if (!(cause instanceof ConfigException)) {
                    telemetry.failed(cause);
                }
                throw e;
            } finally {
                progress.flush();
            }
        }
    }
}
