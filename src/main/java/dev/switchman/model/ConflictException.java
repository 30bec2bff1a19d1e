package dev.switchman.model;

/** Another release of the application holds it (running, or interrupted and awaiting rollback). Exit code 4. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
