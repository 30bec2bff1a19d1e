package dev.switchman.traffic.builtin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The headers that tell the application who its client is: {@code X-Forwarded-For}, {@code X-Forwarded-Host},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Port}, {@code Forwarded} and {@code X-Real-IP}. A client's are
 * replaced with what the router saw, so none can pass for another address; a trusted proxy's are kept, the router
 * adding its peer to the lists and filling in what the proxy left out.
 */
final class ForwardedHeaders {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");

    private final TrustedProxies trusted;

    ForwardedHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** Whether {@code peer}'s forwarded headers are kept: asked once per client connection. */
    boolean trusts(String peer) {
        return trusted.contains(peer);
    }

    /**
     * Sets them in {@code headers}, the headers of a request about to be sent upstream that came from {@code peer}
     * ({@code trustedPeer} as {@link #trusts} said) over {@code proto}.
     */
    void apply(String peer, boolean trustedPeer, String proto, HttpHeaders headers) {
        String host = headers.get(HttpHeaderNames.HOST);
        String hop = element(peer, host, proto);
        if (trustedPeer) {
            append(headers, X_FORWARDED_FOR, peer);
            append(headers, FORWARDED, hop);
            setIfAbsent(headers, X_REAL_IP, peer);
            setIfAbsent(headers, X_FORWARDED_HOST, host);
            setIfAbsent(headers, X_FORWARDED_PROTO, proto);
        } else {
            set(headers, X_FORWARDED_FOR, peer);
            set(headers, FORWARDED, hop);
            set(headers, X_REAL_IP, peer);
            set(headers, X_FORWARDED_HOST, host);
            set(headers, X_FORWARDED_PROTO, proto);
            headers.remove(X_FORWARDED_PORT);
        }
    }

    /** This hop's {@code Forwarded} element (RFC 7239): {@code for=…;host="…";proto=…}. */
    private static String element(String peer, String host, String proto) {
        StringBuilder out = new StringBuilder(64);
        if (peer != null) {
            // An IPv6 address is a quoted, bracketed node.
            out.append("for=").append(peer.indexOf(':') >= 0 ? "\"[" + peer + "]\"" : peer);
        }
        if (host != null) {
            String quoted = host.replace("\\", "\\\\").replace("\"", "\\\""); // no copy when there is nothing to escape
            out.append(out.isEmpty() ? "" : ";").append("host=\"").append(quoted).append('"');
        }
        if (proto != null) {
            out.append(out.isEmpty() ? "" : ";").append("proto=").append(proto);
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** Adds {@code value} to the list the header holds, over as many lines as it came. */
    private static void append(HttpHeaders headers, CharSequence name, String value) {
        if (value == null) {
            return;
        }
        List<String> before = headers.getAll(name);
        headers.set(name, before.isEmpty() ? value : String.join(", ", before) + ", " + value);
    }

    private static void setIfAbsent(HttpHeaders headers, CharSequence name, String value) {
        if (value != null && !headers.contains(name)) {
            headers.set(name, value);
        }
    }

    private static void set(HttpHeaders headers, CharSequence name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }
}
