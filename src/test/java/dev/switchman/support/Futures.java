package dev.switchman.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on a Vert.x future from a test thread, always with a bound: a hung future fails the test, never hangs it. */
public final class Futures {
    /** Longer than any single step of a test takes on a loaded two-core machine. */
    public static final Duration BOUND = Duration.ofSeconds(60);

    private Futures() {}

    /** The future's result; its failure rethrown as it is (unchecked) or wrapped. */
    public static <T> T await(Future<T> future) {
        return await(future, BOUND);
    }

    public static <T> T await(Future<T> future, Duration bound) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + bound.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
