package dev.switchman.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through when it carries {@code Authorization: Bearer <token>}; otherwise 401, logged with the
 * caller's address and never with what it sent. With no token configured (loopback only) every request passes.
 */
final class BearerAuth implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(BearerAuth.class);
    private final Optional<byte[]> token;

    BearerAuth(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (token.isEmpty()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        // Constant time: how much of a guess matched must not show in how long the answer took.
        if (given != null && MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
            return;
        }
        log.warn("refused {} {} from {}: {}", ctx.request().method(), ctx.request().path(), ctx.request().remoteAddress(),
                given == null ? "no bearer token" : "wrong bearer token");
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"switchman\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", given == null ? "a bearer token is required" : "wrong bearer token").encode());
    }
}
