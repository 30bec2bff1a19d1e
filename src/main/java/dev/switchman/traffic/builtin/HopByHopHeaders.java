package dev.switchman.traffic.builtin;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * Removes the hop-by-hop headers (RFC 9110 section 7.6.1) that vertx-http-proxy passes on: those the
 * {@code Connection} header names, and {@code Proxy-Connection}. The library itself drops {@code Connection},
 * {@code Keep-Alive}, {@code Proxy-Authenticate}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer},
 * {@code Transfer-Encoding} and {@code Upgrade}, both ways.
 */
final class HopByHopHeaders {

    private static final CharSequence PROXY_CONNECTION = HttpHeaders.createOptimized("proxy-connection");

    private HopByHopHeaders() {}

    /** Strips them from the headers about to be sent on, request or response. */
    static void strip(MultiMap headers) {
        if (headers.contains(HttpHeaders.CONNECTION)) {
            for (String connection : headers.getAll(HttpHeaders.CONNECTION)) {
                removeNamed(headers, connection);
            }
        }
        headers.remove(PROXY_CONNECTION);
    }

    /** Removes each header named in a {@code Connection} value; allocates only for a name other than close/keep-alive. */
    private static void removeNamed(MultiMap headers, String connection) {
        int length = connection.length();
        int start = 0;
        while (start < length) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && isSpace(connection.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(connection.charAt(to - 1))) {
                to--;
            }
            // close and keep-alive are options, not header names (Keep-Alive is dropped by the library anyway).
            if (to > from && !is(connection, from, to, "close") && !is(connection, from, to, "keep-alive")) {
                headers.remove(connection.substring(from, to));
            }
            start = end + 1;
        }
    }

    private static boolean is(String text, int from, int to, String token) {
        return to - from == token.length() && text.regionMatches(true, from, token, 0, token.length());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
