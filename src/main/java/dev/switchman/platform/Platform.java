package dev.switchman.platform;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Where a slot runs. Slots outlive the coordinator: a platform starts them detached and describes them in a
 * {@link SlotRecord} that the store keeps, so that any later process can stop them.
 */
public interface Platform {

    /**
     * Checks, before anything is touched, that {@code colour} can be deployed (e.g. its port is free). A slot the
     * store still records for that colour is not in the way: deploy-new stops it first.
     */
    default Future<Void> preflight(Colour colour) {
        return Future.succeededFuture();
    }

    /** Starts {@code colour} at {@code version} and completes once its endpoints accept connections. */
    Future<SlotRecord> deploy(Colour colour, String version);

    /** Stops the slot gracefully (then forcibly after the grace period). Stopping a stopped slot succeeds. */
    Future<Void> stop(SlotRecord slot);

    /**
     * The slot this platform last started in {@code colour}, as the platform itself recorded it the moment it
     * started: a coordinator killed before the store had the slot's record still leaves it findable.
     */
    default Future<Optional<SlotRecord>> started(Colour colour) {
        return Future.succeededFuture(Optional.empty());
    }

    /** Whether the slot's processes are still running. */
    Future<Boolean> isRunning(SlotRecord slot);

    /** The endpoints serving the slot: one for a local process, many for replicas. */
    default List<Endpoint> endpoints(SlotRecord slot) {
        return slot.endpoints();
    }
}
