package dev.switchman.health.prometheus;

import dev.switchman.config.Durations;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * What the metrics read over HTTP (a Prometheus server, a webhook) share: their URL and token keys, checked when
 * the strategy loads, and how a failed request is told. A token is only ever sent, never shown.
 */
public final class HttpSource {
    private HttpSource() {}

    /** {@code value} as an http(s) URL without a trailing slash; a mistake names {@code key}. */
    public static String url(String key, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required: " + example);
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a URL (" + e.getReason() + "): " + example);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must be an http:// or https:// URL with a host, got '" + value + "': " + example);
        }
        if (uri.getRawUserInfo() != null) {
            // A password in a URL ends up in logs and errors; a token belongs in tokenEnv.
            throw new IllegalArgumentException(key + " must not carry credentials (user:password@): put a bearer token in"
                    + " an environment variable and name it in tokenEnv");
        }
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The name of an environment variable, or null when left out. */
    public static String envName(String key, String value) {
        if (value != null && !value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(key + " names an environment variable (letters, digits, _), got '" + value + "'");
        }
        return value;
    }

    /**
     * The bearer token from the variable {@code tokenEnv} names (null when none is configured). Read at each request,
     * so a rotated token is picked up; a variable unset or empty is an error naming the variable, not its value.
     */
    public static String token(String tokenEnv, UnaryOperator<String> env) {
        if (tokenEnv == null) {
            return null;
        }
        String token = env.apply(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("tokenEnv names " + tokenEnv + ", which is not set in this environment");
        }
        return token.strip();
    }

    /** A request that got no answer, told without its URL's query (which {@code where} names instead). */
    public static String failure(Throwable e, String where, Duration timeout) {
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return where + " did not answer within " + Durations.format(timeout) + " (timeout)";
        }
        if (e instanceof ConnectException) {
            String message = String.valueOf(e.getMessage());
            return message.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused by " + where : "cannot connect to " + where + ": " + message;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host in " + where;
        }
        return "request to " + where + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
