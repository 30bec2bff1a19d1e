package dev.switchman.traffic;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for one replica of a colour. It answers every request with its name in the body
 * and the {@code X-Upstream} header; a POST gets back {@code name:bytes-received}; {@code /slow} is held until
 * {@link #releaseSlow()}. Shared by the tests of every router kind. Further paths, for what a proxy must do:
 * <ul>
 *   <li>{@code /stream}: sends its head and a first chunk, and the rest at {@link #releaseSlow()};</li>
 *   <li>{@code /reset}: sends its head and a first chunk, then closes its connection mid-body;</li>
 *   <li>{@code /status/<code>}: answers that status;</li>
 *   <li>{@code /headers}: answers the request headers it received, as a JSON object of lower-case name to values;</li>
 *   <li>{@code /hop-by-hop}: answers with hop-by-hop headers that a proxy must not pass on, and {@code X-End-To-End}.</li>
 * </ul>
 */
public final class Upstream {

    public final String name;
    private final HttpServer server;
    private record Held(HttpServerRequest request, Context context) {}

    private final Queue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger served = new AtomicInteger();
    private final Set<HttpConnection> connections = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private Upstream(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    public static Upstream start(Vertx vertx, String name) {
        Upstream[] self = new Upstream[1];
        HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
        self[0] = new Upstream(name, server);
        Futures.await(server.listen(0, "127.0.0.1"));
        return self[0];
    }

    private void handle(HttpServerRequest request) {
        connections.add(request.connection());
        request.body().onSuccess(body -> {
            String path = request.path();
            if (path.equals("/slow")) {
                held.add(new Held(request, Vertx.currentContext()));
                return;
            }
            served.incrementAndGet();
            if (path.equals("/stream") || path.equals("/reset")) {
                request.response().setChunked(true).putHeader("X-Upstream", name).write(name + ":start");
                if (path.equals("/stream")) {
                    held.add(new Held(request, Vertx.currentContext()));
                } else {
                    request.connection().close();
                }
                return;
            }
            if (path.startsWith("/status/")) {
                request.response().setStatusCode(Integer.parseInt(path.substring("/status/".length()))).end(name);
                return;
            }
            if (path.equals("/headers")) {
                JsonObject headers = new JsonObject();
                request.headers().forEach(h -> {
                    String key = h.getKey().toLowerCase(Locale.ROOT);
                    JsonArray values = headers.getJsonArray(key);
                    headers.put(key, (values == null ? new JsonArray() : values).add(h.getValue()));
                });
                request.response().putHeader("Content-Type", "application/json").end(headers.encode());
                return;
            }
            if (path.equals("/hop-by-hop")) {
                request.response()
                        .putHeader("Connection", "X-Upstream-Hop")
                        .putHeader("X-Upstream-Hop", "for the next hop only")
                        .putHeader("Proxy-Connection", "keep-alive")
                        .putHeader("Keep-Alive", "timeout=5")
                        .putHeader("Proxy-Authenticate", "Basic realm=\"upstream\"")
                        .putHeader("X-End-To-End", "kept")
                        .end(name);
                return;
            }
            String text = request.method().name().equals("POST") ? name + ":" + body.length() : name;
            request.response().putHeader("X-Upstream", name).end(text);
        });
    }

    /** How many requests it has answered. */
    public int served() {
        return served.get();
    }

    /** How many connections requests came on. */
    public int connections() {
        return connections.size();
    }

    public int heldCount() {
        return held.size();
    }

    /** Answers every held {@code /slow} request, and ends every held {@code /stream} response. */
    public void releaseSlow() {
        Held h;
        while ((h = held.poll()) != null) {
            HttpServerRequest request = h.request();
            h.context().runOnContext(v -> {
                if (request.response().closed()) {
                    return;
                }
                if (request.response().headWritten()) {
                    request.response().end(":end");
                } else {
                    served.incrementAndGet();
                    request.response().putHeader("X-Upstream", name).end(name + ":slow");
                }
            });
        }
    }

    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", server.actualPort());
    }

    public Future<Void> close() {
        return server.close();
    }
}
