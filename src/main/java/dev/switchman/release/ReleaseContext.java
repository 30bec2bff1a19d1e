package dev.switchman.release;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.StrategyConfig;
import dev.switchman.model.Colour;
import dev.switchman.model.SlotRecord;
import dev.switchman.store.Event;
import dev.switchman.store.ReleaseRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One release in flight: what it moves (application, version, changelog, from which colour to which) and what
 * its gates learned on the way (the slots, the schema tag, whether traffic reached the new colour). Everything
 * a rollback needs is also written to the store, so a later process can rebuild this from there.
 */
public final class ReleaseContext {
    public final Vertx vertx;
    public final LoadedConfig config;
    public final StrategyConfig strategy;
    public final Seams seams;
    public final Clock clock;
    public final Progress progress;
    public final String application;
    public String version;
    public String changelog;

    /** The store's row for this release; null until the lock gate created it. */
    public ReleaseRecord record;
    /** The live colour when the release began (blue, in the release's words); null on a first release. */
    public Colour live;
    public String liveVersion;
    /** The colour the new version goes into (green, in the release's words). */
    public Colour target;
    public SlotRecord liveSlot;
    public SlotRecord newSlot;
    public String schemaTag;
    public boolean trafficShifted;

    private final List<Event> pending = new ArrayList<>();

    public ReleaseContext(Vertx vertx, LoadedConfig config, Seams seams, Clock clock, Progress progress,
                          String version, String changelog) {
        this.vertx = vertx;
        this.config = config;
        this.strategy = config.strategy();
        this.seams = seams;
        this.clock = clock;
        this.progress = progress;
        this.application = config.application();
        this.version = version;
        this.changelog = changelog;
    }

    /** Appends to the event log; events before the release row exists are kept and written once it does. */
    public Future<Void> log(String gate, Event.Kind kind, Long durationMs, String detail) {
        if (record == null) {
            pending.add(new Event(0, gate, kind, clock.instant(), durationMs, detail));
            return Future.succeededFuture();
        }
        Future<Void> flushed = Future.succeededFuture();
        for (Event e : List.copyOf(pending)) {
            flushed = flushed.compose(v -> seams.store().append(
                    new Event(record.id(), e.gate(), e.kind(), e.at(), e.durationMs(), e.detail())));
        }
        pending.clear();
        return flushed.compose(v -> seams.store().append(new Event(record.id(), gate, kind, clock.instant(), durationMs, detail)));
    }

    /** A configured wait, on a Vert.x timer: never a sleep. */
    public Future<Void> pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return Future.succeededFuture();
        }
        return vertx.timer(duration.toMillis()).mapEmpty();
    }

    public boolean firstRelease() {
        return live == null;
    }
}
