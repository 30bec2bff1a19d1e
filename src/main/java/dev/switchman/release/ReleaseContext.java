package dev.switchman.release;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.StrategyConfig;
import dev.switchman.migration.Migrator;
import dev.switchman.model.Colour;
import dev.switchman.model.SlotRecord;
import dev.switchman.store.Event;
import dev.switchman.store.LiveState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One release in flight: what it moves (application, version, changelog, from the live slot to the new one) and
 * what its gates learned on the way. Each fact a rollback needs is written through one method, to the store first
 * and then here, so a later process can rebuild this context from the store ({@link #restore}).
 */
public final class ReleaseContext {
    public final Vertx vertx;
    public final LoadedConfig config;
    public final StrategyConfig strategy;
    private Instant firstFailingMeasurement;
    public final Seams seams;
    public final Clock clock;
    public final Progress progress;
    public final String application;

    private String version;
    private String changelog;
    /** The store's row for this release; null until the lock gate created it. */
    private ReleaseRecord record;
    /** The slot serving users when the release began; null on a first release. */
    private Colour liveColour;
    private String liveVersion;
    /** The slot the new version goes into. */
    private Colour newColour;
    private SlotRecord liveSlot;
    private SlotRecord newSlot;
    private String schemaTag;
    private boolean trafficShifted;
    /** The backup taken before expand; null when none was (yet). */
    private ReleaseRecord.Backup backup;

    private final List<Event> pending = new ArrayList<>();
    /** Completes, on an event loop, with the reason once the release is asked to stop. */
    private final Promise<String> stopRequested = Promise.promise();

    public ReleaseContext(Vertx vertx, LoadedConfig config, Seams seams, Clock clock, Progress progress,
                          String version, String changelog, Abort abort) {
        this.vertx = vertx;
        this.config = config;
        this.strategy = config.strategy();
        this.seams = seams;
        this.clock = clock;
        this.progress = progress;
        this.application = config.application();
        this.version = version;
        this.changelog = changelog;
        abort.onRequest(reason -> vertx.runOnContext(v -> stopRequested.tryComplete(reason)));
        // The migrators retry on their worker threads; the release's progress is reported on an event loop.
        seams.migrator().onLockRetry(step -> vertx.runOnContext(v -> progress.report(new ProgressEvent.LockRetried(step))));
    }

    public String version() {
        return version;
    }

    public String changelog() {
        return changelog;
    }

    /** The changes this release migrates: its version's, for the migrator. */
    public Migrator.Changes changes() {
        return new Migrator.Changes(version, changelog);
    }

    public ReleaseRecord record() {
        return record;
    }

    public Colour liveColour() {
        return liveColour;
    }

    public String liveVersion() {
        return liveVersion;
    }

    public Colour newColour() {
        return newColour;
    }

    public SlotRecord liveSlot() {
        return liveSlot;
    }

    public SlotRecord newSlot() {
        return newSlot;
    }

    public String schemaTag() {
        return schemaTag;
    }

    public boolean trafficShifted() {
        return trafficShifted;
    }

    public ReleaseRecord.Backup backup() {
        return backup;
    }

    /**
     * Notes when the new version was first judged failing (the first call counts): the start of the span until all
     * traffic is back on the live colour.
     */
    public void analysisFailed(Instant at) {
        if (firstFailingMeasurement == null) {
            firstFailingMeasurement = at;
        }
    }

    /** When the new version was first judged failing in this run, or null. */
    public Instant firstFailingMeasurement() {
        return firstFailingMeasurement;
    }

    public boolean firstRelease() {
        return liveColour == null;
    }

    private ReleaseStore store() {
        return seams.store();
    }

    // ---- facts, each written to the store first

    /** Creates the release row: from the live slot (if any) to the other one. */
    public Future<ReleaseRecord> begin(Optional<LiveState> live, Optional<SlotRecord> liveSlot) {
        Colour from = live.map(LiveState::colour).orElse(null);
        String fromVersion = live.map(LiveState::version).orElse(null);
        Colour to = Colour.forNewVersion(from);
        return store().begin(application, version, from, fromVersion, to, changelog).map(created -> {
            this.record = created;
            this.liveColour = from;
            this.liveVersion = fromVersion;
            this.newColour = to;
            this.liveSlot = liveSlot.orElse(null);
            return created;
        });
    }

    /** The tag expand's undo goes back to, recorded before expand changes anything. */
    public Future<Void> schemaTagged(String tag) {
        return store().schemaTagged(record.id(), tag).map(v -> {
            this.schemaTag = tag;
            return null;
        });
    }

    /** The backup taken before expand, recorded once it is complete. */
    public Future<Void> backedUp(ReleaseRecord.Backup taken) {
        return store().backedUp(record.id(), taken).map(v -> {
            this.backup = taken;
            return null;
        });
    }

    /** Traffic may reach the new version from now on: recorded before the router is told. */
    public Future<Void> trafficShifting() {
        return store().trafficShifted(record.id()).map(v -> {
            this.trafficShifted = true;
            return null;
        });
    }

    public Future<Void> newSlotStarted(SlotRecord slot) {
        return store().saveSlot(slot).map(v -> {
            this.newSlot = slot;
            return null;
        });
    }

    public Future<Void> newSlotStopped() {
        return store().deleteSlot(application, newColour).map(v -> {
            this.newSlot = null;
            return null;
        });
    }

    public Future<Void> liveSlotRetired() {
        return store().deleteSlot(application, liveColour).map(v -> {
            this.liveSlot = null;
            return null;
        });
    }

    /** From here on the new slot is the live one, whatever happens next. */
    public Future<Void> newIsLive() {
        return store().setLive(application, newColour, version);
    }

    /**
     * Rebuilds the context of an unfinished release from the store after its coordinator died: the record, and the
     * slots recorded for both colours. {@code movedChangelog}, when not null, replaces the changelog the release was
     * read from.
     */
    public Future<ReleaseRecord> restore(ReleaseRecord unfinished, String movedChangelog) {
        Future<Optional<SlotRecord>> live = unfinished.fromColour() == null ? Future.succeededFuture(Optional.empty())
                : store().slot(application, unfinished.fromColour());
        return live.compose(liveRecord -> store().slot(application, unfinished.toColour()).map(newRecord -> {
            this.record = unfinished;
            this.version = unfinished.version();
            this.changelog = movedChangelog != null ? movedChangelog : unfinished.changelog();
            this.liveColour = unfinished.fromColour();
            this.liveVersion = unfinished.fromVersion();
            this.newColour = unfinished.toColour();
            this.schemaTag = unfinished.schemaTag();
            this.trafficShifted = unfinished.trafficShifted();
            this.backup = unfinished.backup();
            this.liveSlot = liveRecord.orElse(null);
            this.newSlot = newRecord.orElse(null);
            return unfinished;
        }));
    }

    /** The release row as it is now, after a state transition. */
    void recorded(ReleaseRecord now) {
        this.record = now;
    }

    // ---- the event log and waits

    /** Appends to the event log; events before the release row exists are kept and written once it does. */
    public Future<Void> log(String gate, Event.Kind kind, Long durationMs, String detail) {
        if (record == null) {
            pending.add(new Event(0, gate, kind, clock.instant(), durationMs, detail));
            return Future.succeededFuture();
        }
        Future<Void> flushed = Future.succeededFuture();
        for (Event e : List.copyOf(pending)) {
            flushed = flushed.compose(v -> store().append(
                    new Event(record.id(), e.gate(), e.kind(), e.at(), e.durationMs(), e.detail())));
        }
        pending.clear();
        return flushed.compose(v -> store().append(new Event(record.id(), gate, kind, clock.instant(), durationMs, detail)));
    }

    /** A configured wait, on a Vert.x timer (never a sleep); a request to stop ends it at once with {@link Cancelled}. */
    public Future<Void> pause(Duration duration) {
        if (duration.toMillis() < 1) { // a Vert.x timer takes 1 ms at least
            return stopRequested.future().isComplete() ? Future.failedFuture(new Cancelled(stopRequested.future().result()))
                    : Future.succeededFuture();
        }
        Promise<Void> waited = Promise.promise();
        long timer = vertx.setTimer(duration.toMillis(), id -> waited.tryComplete());
        stopRequested.future().onSuccess(reason -> {
            vertx.cancelTimer(timer);
            waited.tryFail(new Cancelled(reason));
        });
        return waited.future();
    }

    /**
     * {@code work}'s result, or {@link Cancelled} as soon as the release is asked to stop: for work that only
     * observes (health probes), so nothing is left half-done when its result is no longer awaited.
     */
    public <T> Future<T> unlessStopped(Future<T> work) {
        Promise<T> result = Promise.promise();
        work.onComplete(done -> {
            if (done.succeeded()) {
                result.tryComplete(done.result());
            } else {
                result.tryFail(done.cause());
            }
        });
        stopRequested.future().onSuccess(reason -> result.tryFail(new Cancelled(reason)));
        return result.future();
    }

    /** The reason the release was asked to stop, once it was. */
    public Optional<String> stopReason() {
        return stopRequested.future().isComplete() ? Optional.of(stopRequested.future().result()) : Optional.empty();
    }

    /** A line of a gate's own while it works. */
    public void note(String gate, String text) {
        progress.report(new ProgressEvent.Note(gate, text));
    }
}
