package dev.switchman.health;

import dev.switchman.config.Durations;
import dev.switchman.model.Endpoint;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** The detail of a probe that got no answer, in the same words whatever the kind: refused, timed out, unknown host. */
public final class ProbeErrors {
    private ProbeErrors() {}

    /** @param what what was probed, for any other error: the endpoint, or the endpoint and a path */
    public static String describe(Throwable e, Endpoint endpoint, Duration limit, String what) {
        if (e instanceof TimeoutException) {
            return "timed out after " + Durations.format(limit);
        }
        if (e instanceof ConnectException) {
            String message = String.valueOf(e.getMessage());
            // Vert.x reports a connect timeout as a ConnectException too.
            if (message.toLowerCase(Locale.ROOT).contains("timed out")) {
                return "timed out after " + Durations.format(limit) + " connecting to " + endpoint;
            }
            return message.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused by " + endpoint
                    : "cannot connect to " + endpoint + ": " + message;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + endpoint.host();
        }
        return "probe of " + what + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
