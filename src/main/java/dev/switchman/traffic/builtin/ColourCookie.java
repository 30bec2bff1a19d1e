package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Sticky sessions ({@code router.sticky}): a request whose cookie names a colour that takes requests goes to that
 * colour, any of its endpoints; any other (no cookie, a colour at weight 0, a value that is no colour) goes by the
 * weights, and its response sets the cookie to the colour that served it. So during a shift a client stays on one
 * version, and a colour set to weight 0 (a rollback) moves its clients. {@link #NONE} routes every request by weight.
 */
final class ColourCookie {

    /** No stickiness: the weights decide each request, and no cookie is set. */
    static final ColourCookie NONE = new ColourCookie();

    private final String name;
    private final Map<Colour, String> setCookie = new EnumMap<>(Colour.class);

    private ColourCookie() {
        this.name = null;
    }

    /** Sets {@code sticky.cookie()}; {@code secure}: only over HTTPS, as the public port serves it. */
    ColourCookie(StickySessions sticky, boolean secure) {
        this.name = sticky.cookie();
        for (Colour colour : Colour.values()) {
            DefaultCookie cookie = new DefaultCookie(name, colour.id());
            cookie.setPath("/");
            cookie.setHttpOnly(true);
            cookie.setSecure(secure);
            cookie.setSameSite(CookieHeaderNames.SameSite.Lax);
            if (sticky.maxAge() != null) {
                cookie.setMaxAge(sticky.maxAge().toSeconds());
            }
            setCookie.put(colour, ServerCookieEncoder.STRICT.encode(cookie));
        }
    }

    static ColourCookie of(StickySessions sticky, boolean secure) {
        return sticky == null ? NONE : new ColourCookie(sticky, secure);
    }

    /** Where {@code request} goes: to the colour its cookie names while that colour takes requests, else by weight. */
    WeightedSelector.Pick pick(HttpRequest request, WeightedSelector selector) {
        Colour named = named(request);
        return named != null && selector.takes(named) ? selector.on(named) : selector.next();
    }

    /**
     * Sets the cookie in {@code response}, the headers of the route's response, to the colour serving it (after a
     * failover, the one it moved to), unless the request's cookie names that colour already.
     */
    void keep(Route route, HttpHeaders response) {
        if (name == null) {
            return;
        }
        Colour serving = route.colour();
        if (serving != named(route.request)) {
            response.add(HttpHeaderNames.SET_COOKIE, setCookie.get(serving));
        }
    }

    private Colour named(HttpRequest request) {
        if (name == null) {
            return null;
        }
        List<String> headers = request.headers().getAll(HttpHeaderNames.COOKIE);
        for (String header : headers) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                if (cookie.name().equals(name)) {
                    for (Colour colour : Colour.values()) {
                        if (colour.id().equals(cookie.value())) {
                            return colour;
                        }
                    }
                    return null;
                }
            }
        }
        return null;
    }
}
