package dev.switchman.release;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.NotifyConfig;
import dev.switchman.migration.Migrator;
import io.vertx.core.Future;

/**
 * Runs the releases and rollbacks of one application, the same way for every front end (the CLI, a server):
 * preflight, then the gates; a rollback rebuilds the release from the store. Never blocks: each call is a
 * {@link Future}. A failed preflight fails the future with a {@link ConfigException} (exit 2,
 * nothing touched); every other end, also a conflict (exit 4), is an {@link Outcome}.
 */
public final class Coordinator {
    private final Wiring wiring;

    public Coordinator(Wiring wiring) {
        this.wiring = wiring;
    }

    /**
     * Releases {@code version}; {@code changelog} overrides the config's path for it (or null). A request to
     * {@code abort} (or {@code switchman abort}'s, read from the store) rolls the release back from where it is (before
     * contract) or lets it finish (past contract).
     */
    public Future<Outcome> release(String version, String changelog, Progress progress, Abort abort) {
        LoadedConfig config = wiring.config;
        String checked;
        String changes;
        try {
            checked = Versions.check(version);
            changes = Changelogs.forVersion(config, checked, Changelogs.given(changelog));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Notifier notifier;
        try {
            notifier = notifier(progress);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Progress told = notifier == null ? progress : notifier.alongside(progress, checked);
        return Preflight.check(wiring.vertx, config, wiring.seams, new Migrator.Changes(checked, changes), told).compose(v -> {
            told.report(new ProgressEvent.Note(null, "Releasing " + config.application() + " " + checked
                    + " (strategy " + config.strategy().name() + ")"));
            ReleaseContext ctx = context(told, checked, changes, abort);
            Future<Outcome> released = AbortWatch.during(ctx, abort, new Release(ctx).run());
            return notifier == null ? released : released.compose(outcome -> notifier.ended(outcome).map(outcome));
        });
    }

    /** Rolls back the unfinished release; {@code movedChangelog} is where its changelog is now, if it moved (or null). */
    public Future<Outcome> rollBack(String movedChangelog, Progress progress) {
        // Version and changelog come from the release's record.
        return wiring.seams.store().migrate()
                .compose(v -> Recovery.rollBack(context(progress, null, null, new Abort()), Changelogs.given(movedChangelog)));
    }

    /** The webhook told of the release's events, when the config has a {@code notify} section. */
    private Notifier notifier(Progress progress) {
        NotifyConfig settings = wiring.config.config().notifications();
        return settings == null ? null : new Notifier(wiring.vertx, settings, settings.target(System.getenv()),
                wiring.config.application(), warning -> progress.report(new ProgressEvent.Note(null, warning)));
    }

    private ReleaseContext context(Progress progress, String version, String changelog, Abort abort) {
        return new ReleaseContext(wiring.vertx, wiring.config, wiring.seams, wiring.clock, progress, version, changelog, abort);
    }
}
