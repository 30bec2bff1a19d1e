package dev.switchman.release;

/** A gate's wait ended because the release was asked to stop ({@link Abort}): the message is the reason. */
public final class Cancelled extends RuntimeException {
    public Cancelled(String reason) {
        super(reason);
    }
}
