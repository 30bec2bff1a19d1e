package dev.switchman.release;

import dev.switchman.backup.Backup;
import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.health.Metric;
import dev.switchman.lint.Linter;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.PauseMarks;
import dev.switchman.migration.PlannedChange;
import dev.switchman.model.Colour;
import dev.switchman.store.LiveState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * What a release checks before it touches anything, so that bad input ends with exit 2 and the system as it
 * was: the strategy's analysis (its metrics can be read from this router), Switchman's schema, the changelog (parses,
 * every change labelled, linted, its pause marks ones the router can honour), the router (running and answering), the
 * backup command when there is one (its program, working directory and backup directory),
 * the new version's slot (the platform can deploy into it, e.g. its port is free) unless an unfinished release
 * holds the application, which the lock gate reports instead.
 */
final class Preflight {
    private Preflight() {}

    static Future<Void> check(Vertx vertx, LoadedConfig config, Seams seams, Migrator.Changes changelog, Progress progress) {
        Future<Void> analysis = analysis(config, seams);
        if (analysis.failed()) {
            return analysis;
        }
        // Independent checks run side by side; failures are reported in this order.
        Future<Void> schema = seams.store().migrate();
        Future<Void> changes = seams.migrator().check(changelog).compose(v -> lint(vertx, config, seams, changelog, progress));
        Future<?> router = seams.router().status();
        Future<Void> backup = seams.backup().map(Backup::preflight).orElse(Future.succeededFuture());
        return Future.join(schema, changes, router, backup)
                .transform(all -> schema.failed() ? Future.<Void>failedFuture(schema.cause())
                        : changes.failed() ? Future.<Void>failedFuture(changes.cause())
                        : router.failed() ? Future.<Void>failedFuture(new ConfigException("router (" + config.config().router().type()
                                + "): " + router.cause().getMessage()))
                        : backup.failed() ? Future.<Void>failedFuture(backup.cause() instanceof ConfigException ? backup.cause()
                                : new ConfigException("backup: " + backup.cause().getMessage(), backup.cause()))
                        : Future.<Void>succeededFuture())
                .compose(v -> seams.store().unfinished(config.application()))
                .compose(unfinished -> unfinished.isPresent() ? Future.<Void>succeededFuture() : newSlotCheck(config, seams));
    }

    /**
     * A strategy judged by the router's counters needs a router that keeps them: otherwise every window would be
     * inconclusive (or worse, judged on nothing), so it is bad input before anything runs.
     */
    private static Future<Void> analysis(LoadedConfig config, Seams seams) {
        if (seams.router().countsPerColour()) {
            return Future.succeededFuture();
        }
        List<String> counting = seams.metrics().stream().filter(m -> m.provider().readsRouterCounters()).map(Metric::name).toList();
        if (counting.isEmpty()) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(new ConfigException("strategy '" + config.strategy().name() + "': router.type "
                + config.config().router().type() + " counts no requests per colour, so the "
                + String.join(" and ", counting) + " metric" + (counting.size() > 1 ? "s" : "") + " of analysis.metrics"
                + " (the router's counters, the default when none is written) would judge nothing: list other metrics"
                + " (type: prometheus, webhook) in analysis.metrics, or write 'metrics: []' to accept no analysis"));
    }

    /**
     * The lint, on the changes the database has not applied yet: an unaccepted finding is bad input (exit 2), and
     * nothing is touched; so is a {@code switchman:pause} mark that is wrong or that the router cannot honour. A
     * migrator that cannot show its SQL (no plan commands) is not linted.
     */
    private static Future<Void> lint(Vertx vertx, LoadedConfig config, Seams seams, Migrator.Changes changes,
                                     Progress progress) {
        Migrator migrator = seams.migrator();
        if (!migrator.canPlan()) {
            return Future.succeededFuture();
        }
        return migrator.planned(changes, true)
                .compose(planned -> pauseMarks(config, seams, planned).map(planned))
                .compose(planned -> vertx.executeBlocking(() -> Linter.of(config.config().lint()).lint(planned), false))
                .onSuccess(report -> progress.report(new ProgressEvent.Linted(report)))
                .compose(report -> report.passes() ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new ConfigException("lint: " + report.unaccepted().size()
                                + " unsafe statement(s) in the changes of " + changes.version() + "; nothing was touched."
                                + " Make each one safe, or accept it with a reason (`-- switchman:accept <rule> <reason>`"
                                + " in the change, or lint.accept in the config); `switchman lint` shows them again.\n"
                                + report.text())));
    }

    /** A marked contract change needs a router that can hold requests: the builtin one. */
    private static Future<Void> pauseMarks(LoadedConfig config, Seams seams, List<PlannedChange> planned) {
        PauseMarks.Pause pause;
        try {
            pause = PauseMarks.of(planned);
        } catch (ConfigException e) {
            return Future.failedFuture(e);
        }
        if (pause.none() || seams.router().canPause()) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(new ConfigException(pause.where() + ": switchman:pause asks the router to hold requests"
                + " during contract, which router.type " + config.config().router().type() + " cannot do; nothing was"
                + " touched. Release through the builtin router (it can), or remove the mark and accept that requests"
                + " may wait on the change's lock"));
    }

    /**
     * Whether the platform can deploy into the new version's slot. Skipped while a release is unfinished: the lock
     * gate then refuses this one naming that release (exit 4), and its slot, perhaps started but not yet recorded
     * when its coordinator was killed, is what holds the port, which a rollback frees.
     */
    private static Future<Void> newSlotCheck(LoadedConfig config, Seams seams) {
        return seams.store().live(config.application())
                .compose(live -> {
                    Colour slot = Colour.forNewVersion(live.map(LiveState::colour).orElse(null));
                    // A slot the store still records is not in the way: deploy-new stops it first.
                    return seams.store().slot(config.application(), slot).compose(recorded -> recorded.isPresent()
                            ? Future.<Void>succeededFuture()
                            : seams.platform().preflight(slot).recover(e -> Future.failedFuture(e instanceof ConfigException
                                    ? e : new ConfigException("platform: " + e.getMessage(), e))));
                });
    }
}
