package dev.switchman.backup;

/** The backup failed or could not run; the message names {@code backup.command}, how it ended and its log. */
public class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
