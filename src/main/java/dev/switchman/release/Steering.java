package dev.switchman.release;

import dev.switchman.config.ConfigException;
import dev.switchman.store.Decision;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Future;

/**
 * What a person asks of the release in progress from outside its coordinator (the CLI's {@code promote} and
 * {@code abort}, the server's API): each request goes through the store, where the coordinator reads it. Refusals
 * are {@link ConfigException}s (exit 2, nothing changed) that say what the release is doing.
 */
public final class Steering {
    private Steering() {}

    /** What a promote approved: the wait of {@code release} named {@code awaited}. */
    public record Promoted(ReleaseRecord release, String awaited) {}

    /** The unfinished release, or bad input naming the last one when none is, for the request {@code doing}. */
    public static Future<ReleaseRecord> inProgress(ReleaseStore store, String application, String doing) {
        return store.migrate().compose(v -> store.unfinished(application)).compose(unfinished -> unfinished.isPresent()
                ? Future.succeededFuture(unfinished.get())
                : store.history(application, 1).compose(last -> Future.failedFuture(new ConfigException(
                        "no release of " + application + " is in progress" + last.stream().findFirst()
                                .map(r -> " (the last one, #" + r.id() + " " + r.version() + ", is " + r.state() + ")")
                                .orElse("") + ": nothing to " + doing))));
    }

    /**
     * Whether a coordinator runs the release: some session holds the application's lock (a session lock, freed when
     * its coordinator dies), which a coordinator takes before the release's row exists and lets go after the row's
     * last state was written. The lock is looked at, not taken, so every server may ask at any time.
     */
    public static Future<Boolean> coordinated(ReleaseStore store, String application) {
        return store.lockHeld(application);
    }

    /** Approves the wait the release in progress is in, and only that one. */
    public static Future<Promoted> promote(ReleaseStore store, String application) {
        return inProgress(store, application, "promote").compose(release -> store.decision(release.id())
                .compose(decision -> {
                    Decision d = decision.orElseThrow();
                    if (!d.waiting()) {
                        return Future.failedFuture(new ConfigException("nothing waits for a promote: " + describe(release)));
                    }
                    return coordinated(store, application).compose(running -> {
                        if (!running) {
                            return Future.failedFuture(new ConfigException(describe(release) + " but no coordinator runs it"
                                    + " (it was interrupted): run 'switchman rollback'"));
                        }
                        return store.promote(release.id(), d.awaiting()).compose(approved -> approved
                                ? Future.succeededFuture(new Promoted(release, d.awaiting()))
                                : Future.failedFuture(new ConfigException("release #" + release.id() + " no longer waits to '"
                                        + d.awaiting() + "' (its wait ended meanwhile); nothing was approved")));
                    });
                }));
    }

    /**
     * Asks the coordinator of the release in progress to roll it back (it reads the request within a second).
     * Past contract nothing may be undone: refused, nothing changed.
     */
    public static Future<ReleaseRecord> requestAbort(ReleaseStore store, String application, String reason) {
        return inProgress(store, application, "abort").compose(release -> {
            if (Release.indexOf(release.gate()) >= Release.indexOf("contract")) {
                return Future.failedFuture(new ConfigException(describe(release) + ", past the point of no return (contract):"
                        + " it can only be finished, not rolled back; nothing was done"));
            }
            return store.requestAbort(release.id(), reason).map(release);
        });
    }

    public static String describe(ReleaseRecord r) {
        return "release #" + r.id() + " " + r.version() + " is " + r.state() + " at gate " + r.gate();
    }
}
