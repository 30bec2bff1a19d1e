package dev.switchman.config;

/** TCP ports as config values. */
public final class Ports {
    private Ports() {}

    /** The port, or {@code fallback} when not set; outside 1-65535 is an error naming the key. */
    public static int check(String key, Integer value, int fallback) {
        int port = value == null ? fallback : value;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port between 1 and 65535, got " + port);
        }
        return port;
    }
}
