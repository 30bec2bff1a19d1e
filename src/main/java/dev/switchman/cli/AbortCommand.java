package dev.switchman.cli;

import dev.switchman.config.Durations;
import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.release.Outcome;
import dev.switchman.release.OutcomeJson;
import dev.switchman.release.Steering;
import dev.switchman.release.Wiring;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchman abort}: asks the coordinator running the application's release to roll it back (it reads the
 * request from the store within a second, from any gate before contract), waits until the release ended and exits
 * with its code. With no coordinator left (it was killed) it rolls the release back itself, as {@code rollback}
 * does. Past contract nothing may be undone: it refuses (exit 2) and changes nothing.
 */
@Command(name = "abort", description = "Roll back the release in progress, at whichever gate it is (before contract).")
final class AbortCommand extends BaseCommand {
    static final String REASON = "aborted by switchman abort";
    /** A rollback takes seconds (a drain, a stop, an undo of expand); past this a person should look. */
    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final long POLL_MS = 250;

    @Mixin
    RemoteOptions remote;

    @Override
    protected int execute() {
        if (remote.remote()) {
            return Remote.steer(remote.client(), "abort", err, this::printJson);
        }
        long start = System.nanoTime();
        LoadedConfig config = loadConfig();
        String app = config.application();
        try (Wiring wiring = Wiring.open(config)) {
            ReleaseStore store = wiring.seams.store();
            ReleaseRecord release = await(Steering.requestAbort(store, app, REASON));
            Instant until = wiring.clock.instant().plus(BOUND);
            if (await(Steering.coordinated(store, app))) {
                err.println("switchman: asked the coordinator of release #" + release.id() + " " + release.version() + " of "
                        + app + " to roll it back; waiting for it (up to " + Durations.format(BOUND) + ")");
            }
            while (true) {
                // The lock first: a coordinator writes the release's last state before it lets the lock go.
                boolean coordinated = await(Steering.coordinated(store, app));
                ReleaseRecord now = await(store.history(app, 20)).stream().filter(r -> r.id() == release.id())
                        .findFirst().orElseThrow();
                if (!now.state().unfinished() || (!coordinated && now.state() == ReleaseState.ROLLBACK_FAILED)) {
                    return ended(app, now, start);
                }
                if (!coordinated) {
                    return rolledBackHere(wiring, app, start);
                }
                if (!wiring.clock.instant().isBefore(until)) {
                    err.println("switchman: " + Steering.describe(now) + " after " + Durations.format(BOUND)
                            + "; its coordinator still runs it: see 'switchman status'");
                    printJson(summary(app, now).put("exitCode", ExitCode.ACT_NOW));
                    return ExitCode.ACT_NOW;
                }
                pause(wiring);
            }
        }
    }

    /** The coordinator ended the release: its end state's code, as {@code release} exited with. */
    private int ended(String app, ReleaseRecord now, long start) {
        int code = now.state().exitCode();
        err.println("switchman: " + Steering.describe(now) + (now.reason() == null ? "" : ": " + now.reason())
                + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        printJson(summary(app, now).put("exitCode", code));
        return code;
    }

    /** No coordinator holds the release (it was killed): the rollback {@code switchman rollback} runs. */
    private int rolledBackHere(Wiring wiring, String app, long start) {
        err.println("switchman: no coordinator runs the release (it was interrupted): rolling it back here");
        Outcome outcome = Rollbacks.run(wiring, null, err);
        long wall = (System.nanoTime() - start) / 1_000_000;
        err.println(OutcomeJson.headline(app, outcome) + " in " + wall + " ms");
        printJson(OutcomeJson.of(app, outcome, wall));
        return outcome.exitCode();
    }

    private static JsonObject summary(String app, ReleaseRecord r) {
        return new JsonObject().put("application", app).put("release", r.id()).put("version", r.version())
                .put("state", r.state().name()).put("gate", r.gate()).put("reason", r.reason());
    }

    /** Waits on a Vert.x timer between two reads of the release. */
    private static void pause(Wiring wiring) {
        Promise<Void> waited = Promise.promise();
        wiring.vertx.setTimer(POLL_MS, t -> waited.complete());
        await(waited.future());
    }
}
