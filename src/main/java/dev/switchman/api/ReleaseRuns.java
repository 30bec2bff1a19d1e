package dev.switchman.api;

import dev.switchman.config.ConfigException;
import dev.switchman.model.ConflictException;
import dev.switchman.release.Abort;
import dev.switchman.release.Coordinator;
import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import dev.switchman.release.Wiring;
import dev.switchman.store.Event;
import dev.switchman.telemetry.ReleaseMetrics;
import dev.switchman.telemetry.ReleaseTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The release (or rollback) this server runs, at most one: it runs through the same {@link Coordinator} as the
 * CLI's, and its progress goes to the server's log and to whoever streams its events. One server holds the
 * application's lock on its store session, where taking it again would succeed, so the server itself refuses a
 * second run while one is going; another server on the same store is refused by the lock, as a second CLI is.
 */
final class ReleaseRuns {
    private final Wiring wiring;
    private final Progress log;
    private final AtomicReference<Run> current = new AtomicReference<>();
    /** The server's metrics, of every release it ran, for GET /metrics. */
    final ReleaseMetrics metrics;

    ReleaseRuns(Wiring wiring, Progress log) {
        this.wiring = wiring;
        this.metrics = new ReleaseMetrics(wiring.config.application(), ReleaseTelemetry.buildVersion());
        this.log = event -> {
            metrics.report(event);
            log.report(event);
        };
    }

    /** A run: its stop request, its progress listeners, when its release row exists, its end. */
    static final class Run implements Progress {
        final String what;
        final Abort abort = new Abort();
        final Promise<Void> begun = Promise.promise();
        final Promise<Outcome> ended = Promise.promise();
        private final Progress log;
        private final List<Consumer<ProgressEvent>> listeners = new CopyOnWriteArrayList<>();

        Run(String what, Progress log) {
            this.what = what;
            this.log = log;
        }

        @Override
        public void report(ProgressEvent event) {
            log.report(event);
            listeners.forEach(listener -> listener.accept(event));
            // The lock gate writes the release's row: once it passed the release can be read from the store.
            if (event instanceof ProgressEvent.StepEnded ended && ended.step().gate().equals("lock")
                    && ended.step().result() == Event.Kind.PASSED) {
                begun.tryComplete();
            }
        }

        Runnable listen(Consumer<ProgressEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    /** Starts a release of {@code version}; completes once its row exists, or with its outcome if it ended before. */
    Future<Run> release(String version, String changelog) {
        return start("release " + version, run -> new Coordinator(wiring).release(version, changelog, run, run.abort)
                .onSuccess(metrics::ended).onFailure(metrics::failed));
    }

    /** Rolls back the application's unfinished release, whose coordinator is gone. */
    Future<Run> rollBack() {
        return start("rollback", run -> {
            run.begun.tryComplete(); // the release's row exists already
            // Counted as the release's end, at the gate it was in; a refusal (nothing to roll back) is not.
            return new Coordinator(wiring).rollBack(null, run).onSuccess(metrics::ended)
                    .onFailure(e -> {
                        if (!(e instanceof ConfigException)) {
                            metrics.failed(e);
                        }
                    });
        });
    }

    private Future<Run> start(String what, Function<Run, Future<Outcome>> work) {
        Run run = new Run(what, log);
        Run running = current.updateAndGet(now -> now == null || now.ended.future().isComplete() ? run : now);
        if (running != run) {
            return Future.failedFuture(new ConflictException("this server is running " + running.what + " of "
                    + wiring.config.application() + "; wait for it to end, or abort it"));
        }
        Future<Outcome> outcome = run(work, run);
        outcome.onComplete(run.ended);
        // A release refused before its row exists (bad input) fails the start; one that ended before it (another
        // release holds the lock) starts with its outcome.
        Promise<Run> started = Promise.promise();
        run.begun.future().onSuccess(v -> started.tryComplete(run));
        outcome.onComplete(ar -> {
            if (ar.failed()) {
                started.tryFail(ar.cause());
            } else {
                started.tryComplete(run);
            }
        });
        return started.future();
    }

    private static Future<Outcome> run(Function<Run, Future<Outcome>> work, Run run) {
        try {
            return work.apply(run);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    Optional<Run> current() {
        return Optional.ofNullable(current.get()).filter(run -> !run.ended.future().isComplete());
    }

    /** Asks this server's run to stop, when it runs one; the store's abort request reaches other servers' runs. */
    void abort(String reason) {
        current().ifPresent(run -> run.abort.request(reason));
    }
}
