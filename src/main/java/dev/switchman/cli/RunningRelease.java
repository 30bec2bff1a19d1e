package dev.switchman.cli;

import static dev.switchman.cli.BaseCommand.await;

import dev.switchman.config.ConfigException;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;

/** What {@code promote} and {@code abort} ask of the store about the application's release in progress. */
final class RunningRelease {
    private RunningRelease() {}

    /** The unfinished release, or bad input naming the last one when none is, for the command {@code doing}. */
    static ReleaseRecord find(ReleaseStore store, String application, String doing) {
        await(store.migrate());
        return await(store.unfinished(application)).orElseGet(() -> {
            String last = await(store.history(application, 1)).stream().findFirst()
                    .map(r -> " (the last one, #" + r.id() + " " + r.version() + ", is " + r.state() + ")").orElse("");
            throw new ConfigException("no release of " + application + " is in progress" + last + ": nothing to " + doing);
        });
    }

    /**
     * Whether a coordinator runs the release: it holds the application's lock (a session lock, freed when it dies)
     * from before its row exists until after the row's last state was written.
     */
    static boolean coordinated(ReleaseStore store, String application) {
        if (await(store.tryLock(application))) {
            await(store.unlock(application));
            return false;
        }
        return true;
    }

    static String describe(ReleaseRecord r) {
        return "release #" + r.id() + " " + r.version() + " is " + r.state() + " at gate " + r.gate();
    }
}
