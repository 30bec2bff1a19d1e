package dev.switchman.store;

import dev.switchman.model.Colour;
import dev.switchman.model.ReleaseState;
import dev.switchman.model.SlotRecord;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Releases, their event log, slot records and live colours: everything a later process needs to report or
 * roll back a release whose coordinator died. PostgreSQL is the one source of truth for every coordinator.
 */
public interface ReleaseStore extends AutoCloseable {

    /** Creates or upgrades Switchman's own schema. */
    Future<Void> migrate();

    /** Whether the store's schema is reachable and the one this build expects, without changing it. */
    Future<Boolean> schemaCurrent();

    /**
     * Takes the application's release lock: a PostgreSQL session advisory lock on the store's connection, so it is
     * freed the moment the coordinator dies. Completes with false when another coordinator holds it.
     */
    Future<Boolean> tryLock(String application);

    Future<Void> unlock(String application);

    /**
     * Whether this store's session still holds the application's release lock: checked before each change of
     * traffic, so a coordinator whose session died (and whose lock another process may now hold) stops there.
     */
    Future<Boolean> holdsLock(String application);

    /**
     * Whether any session, this store's too, holds the application's release lock: a coordinator runs its release.
     * Read from pg_locks without taking the lock, so a coordinator starting meanwhile is never refused by the look.
     */
    Future<Boolean> lockHeld(String application);

    /** Inserts a RUNNING release; fails with a ConflictException when the application has an unfinished one. */
    Future<ReleaseRecord> begin(String application, String version, Colour from, String fromVersion, Colour to, String changelog);

    Future<Optional<ReleaseRecord>> unfinished(String application);

    Future<List<ReleaseRecord>> history(String application, int limit);

    /**
     * The schema tag of the application's last release whose schema is in: released, failed past contract,
     * unfinished once its expand began, or rolled back with its expand kept (traffic had reached the new version, or
     * {@code undoesExpand}, the migrator's {@code undoExpand}, is false). Empty before any expand.
     */
    Future<Optional<String>> schemaTag(String application, boolean undoesExpand);

    /** Moves the release to {@code next} if the transition is allowed (see {@link ReleaseState}). */
    Future<ReleaseRecord> transition(long id, ReleaseState next, String gate, String reason);

    Future<Void> gateReached(long id, String gate);

    Future<Void> schemaTagged(long id, String tag);

    Future<Void> trafficShifted(long id);

    /** Records the backup taken before expand. */
    Future<Void> backedUp(long id, ReleaseRecord.Backup backup);

    Future<Void> append(Event event);

    // ---- a person's decisions: switchman promote and switchman abort

    /** Records that the release waits for a promote named {@code what}; completes with the promotes it got so far. */
    Future<Integer> awaitPromote(long id, String what);

    /** The release no longer waits for the promote {@code what} (a later wait of another name is left as it is). */
    Future<Void> clearAwaiting(long id, String what);

    /**
     * Approves the wait named {@code awaiting}, atomically and only while the running release still waits for it, so
     * a promote never approves a later wait it did not see; false when it no longer waits for that one.
     */
    Future<Boolean> promote(long id, String awaiting);

    /** Asks the running release's coordinator to stop, for {@code reason}; the first request's reason is kept. */
    Future<Boolean> requestAbort(long id, String reason);

    /** What people decided about the release so far; empty when there is no such release. */
    Future<Optional<Decision>> decision(long id);

    Future<List<Event>> events(long releaseId);

    Future<Void> saveSlot(SlotRecord slot);

    Future<Optional<SlotRecord>> slot(String application, Colour colour);

    Future<List<SlotRecord>> slots(String application);

    Future<Void> deleteSlot(String application, Colour colour);

    Future<Optional<LiveState>> live(String application);

    Future<Void> setLive(String application, Colour colour, String version);

    @Override
    void close();
}
