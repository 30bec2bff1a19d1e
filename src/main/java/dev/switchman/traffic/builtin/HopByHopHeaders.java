package dev.switchman.traffic.builtin;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * Copies the headers of a message to the one the router sends on, without the hop-by-hop headers (RFC 9110 section
 * 7.6.1), which belong to one connection: {@code Connection}, those it names, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code Proxy-Authenticate}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer},
 * {@code Transfer-Encoding} (the router frames each message itself) and {@code Upgrade}. One pass over the headers,
 * no parsing of what is only passed on.
 */
final class HopByHopHeaders {

    private HopByHopHeaders() {}

    /** Copies {@code from} into {@code to}, leaving out the hop-by-hop headers and, when {@code withoutHost}, Host. */
    static void copy(MultiMap from, MultiMap to, boolean withoutHost) {
        boolean connection = false;
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (isHopByHop(name)) {
                connection |= name.length() == 10 && name.equalsIgnoreCase("connection");
            } else if (!withoutHost || !(name.length() == 4 && name.equalsIgnoreCase("host"))) {
                to.add(name, header.getValue());
            }
        }
        if (connection) {
            for (String value : from.getAll(HttpHeaders.CONNECTION)) {
                removeNamed(to, value);
            }
        }
    }

    /** Whether {@code name} is one of the fixed hop-by-hop headers; by length first, so most names cost one switch. */
    static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
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
            // close and keep-alive are options, not header names (Keep-Alive is left out anyway).
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
