package dev.switchman.traffic.builtin;

import dev.switchman.config.Durations;
import java.time.Duration;

/**
 * {@code router.sticky}: the cookie that keeps a client on the colour it was first sent to while that colour has
 * weight, and how long the client keeps it (null: until the browser closes).
 */
public record StickySessions(String cookie, Duration maxAge) {

    static final String DEFAULT_COOKIE = "switchman-colour";
    /** A cookie name is an RFC 6265 token: no separators, no spaces, no controls. */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    public StickySessions {
        cookie = cookie == null ? DEFAULT_COOKIE : cookie;
        if (!cookie.matches(TOKEN)) {
            throw new IllegalArgumentException("router.sticky.cookie '" + cookie + "' is not a cookie name: use letters,"
                    + " digits and -_.!#$%&'*+^`|~ only, e.g. " + DEFAULT_COOKIE);
        }
        if (maxAge != null) {
            Durations.positive("router.sticky.maxAge", maxAge, null);
            if (maxAge.toSeconds() == 0) {
                throw new IllegalArgumentException("router.sticky.maxAge is " + Durations.format(maxAge)
                        + ": a cookie's age counts in seconds, give at least 1s (or none: until the browser closes)");
            }
        }
    }
}
