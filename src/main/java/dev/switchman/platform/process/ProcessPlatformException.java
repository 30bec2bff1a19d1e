package dev.switchman.platform.process;

/** A slot could not be started or stopped; the message says which key, port, pid or log file to look at. */
public class ProcessPlatformException extends RuntimeException {
    public ProcessPlatformException(String message) {
        super(message);
    }

    public ProcessPlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
