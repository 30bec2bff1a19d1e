package dev.switchman.traffic.builtin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes from a message the router sends on the hop-by-hop headers (RFC 9110 section 7.6.1), which belong to one
 * connection: {@code Connection}, those it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code Proxy-Authenticate}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding}
 * (the router frames each message itself) and {@code Upgrade}. In place, on the message as it was decoded: one pass
 * over the names, no parsing of what is only passed on, and nothing allocated when there is none.
 */
final class HopByHopHeaders {

    private HopByHopHeaders() {}

    /** Takes the hop-by-hop headers out of {@code headers}. */
    static void strip(HttpHeaders headers) {
        List<CharSequence> found = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (isHopByHop(name)) {
                if (found == null) {
                    found = new ArrayList<>(4);
                }
                found.add(name);
            }
        }
        if (found == null) {
            return;
        }
        // The names a Connection header lists go too; read before it is removed.
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            removeNamed(headers, value);
        }
        for (CharSequence name : found) {
            headers.remove(name);
        }
    }

    /** Whether {@code name} is one of the fixed hop-by-hop headers; by length first, so most names cost one switch. */
    static boolean isHopByHop(CharSequence name) {
        return switch (name.length()) {
            case 2 -> is(name, "te");
            case 7 -> is(name, "upgrade") || is(name, "trailer");
            case 10 -> is(name, "connection") || is(name, "keep-alive");
            case 16 -> is(name, "proxy-connection");
            case 17 -> is(name, "transfer-encoding");
            case 18 -> is(name, "proxy-authenticate");
            case 19 -> is(name, "proxy-authorization");
            default -> false;
        };
    }

    private static boolean is(CharSequence name, String token) {
        return AsciiString.contentEqualsIgnoreCase(name, token);
    }

    /** Removes each header named in a {@code Connection} value; allocates only for a name other than close/keep-alive. */
    private static void removeNamed(HttpHeaders headers, String connection) {
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
