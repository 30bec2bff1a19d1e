package dev.switchman.release;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A request to stop a release early, such as a cancelled CD job's SIGINT or SIGTERM: before contract the release
 * rolls back from where it is, past contract it finishes. Only the first request counts; any thread may make it.
 */
public final class Abort {
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Asks the release to stop; returns false when it was already asked. */
    public boolean request(String why) {
        if (!reason.compareAndSet(null, why)) {
            return false;
        }
        listeners.forEach(listener -> listener.accept(why));
        return true;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /** Calls {@code listener} with the reason once a stop is requested (at once when it already was). */
    void onRequest(Consumer<String> listener) {
        listeners.add(listener);
        String already = reason.get();
        if (already != null) {
            listener.accept(already); // may also have been called by request(): listeners must be idempotent
        }
    }
}
