package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Colour;
import dev.switchman.support.Ports;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A builtin router served in this JVM in front of real blue and green {@link Upstream}s, driven through its admin
 * API, with a real HTTP client to send it public requests. For the tests of one concern each.
 */
final class RouterUnderTest implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    /** A response to a request through the router. */
    record Reply(int status, MultiMap headers, String body) {}

    final Upstream blue;
    final Upstream green;
    final BuiltinRouterSettings config;
    final BuiltinRouter admin;
    private final Vertx vertx;
    private final Path stateDir;
    private final BuiltinRouterServer server;
    private final HttpClient http;
    /** Requests are sent from here: a response read from another thread can lose its body (Vert.x 5). */
    private final Context context;

    private RouterUnderTest(Vertx vertx, Upstream blue, Upstream green, BuiltinRouterSettings config, Path stateDir) {
        this.vertx = vertx;
        this.stateDir = stateDir;
        this.blue = blue;
        this.green = green;
        this.config = config;
        this.server = await(BuiltinRouterServer.start(vertx, config, stateDir));
        this.admin = new BuiltinRouter(vertx, config, stateDir);
        this.context = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
    }

    /** Settings on free ports, on 127.0.0.1, trusting no proxy. */
    static BuiltinRouterSettings settings() {
        return new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(10));
    }

    static RouterUnderTest start(Vertx vertx, Path stateDir) {
        return start(vertx, stateDir, settings());
    }

    static RouterUnderTest start(Vertx vertx, Path stateDir, BuiltinRouterSettings config) {
        Upstream blue = Upstream.start(vertx, "blue");
        Upstream green = Upstream.start(vertx, "green");
        return new RouterUnderTest(vertx, blue, green, config, stateDir);
    }

    /** Sends {@code GET path} with these extra headers and reads the whole response. */
    Future<Reply> get(String path, MultiMap headers) {
        return onContext(() -> http.request(options(path).setHeaders(headers))
                .compose(HttpClientRequest::send)
                .compose(response -> response.body()
                        .map(body -> new Reply(response.statusCode(), response.headers(), body.toString()))));
    }

    Future<Reply> get(String path) {
        return get(path, MultiMap.caseInsensitiveMultiMap());
    }

    /**
     * Sends {@code POST path} with {@code body}, with a Content-Length or, {@code chunked}, streamed in chunks of at
     * most 64 KiB, and reads the whole response.
     */
    Future<Reply> post(String path, Buffer body, boolean chunked) {
        return onContext(() -> http.request(options(path).setMethod(HttpMethod.POST))
                .compose(request -> {
                    if (!chunked) {
                        return request.send(body);
                    }
                    request.setChunked(true);
                    for (int at = 0; at < body.length(); at += CHUNK) {
                        request.write(body.getBuffer(at, Math.min(body.length(), at + CHUNK)));
                    }
                    request.end();
                    return request.response();
                })
                .compose(response -> response.body()
                        .map(text -> new Reply(response.statusCode(), response.headers(), text.toString()))));
    }

    /** A {@code GET path} sent and ended; the caller decides when the client goes away. */
    Future<HttpClientRequest> open(String path) {
        return onContext(() -> http.request(options(path)).andThen(ar -> ar.result().end()));
    }

    /** Closes the client's connection of {@code request}, as a client that gives up does. */
    void leave(HttpClientRequest request) {
        context.runOnContext(v -> request.connection().close());
    }

    RouterStatus.ColourStats stats(Colour colour) {
        return await(admin.status()).stats(colour);
    }

    /** The admin API's status as it answers it, with what {@link RouterStatus} does not carry. */
    JsonObject status() {
        WebClient web = WebClient.create(vertx);
        try {
            return await(web.get(config.adminPort(), "127.0.0.1", "/weights")
                    .bearerTokenAuthentication(BuiltinRouterServer.token(stateDir, config.port())).send()).bodyAsJsonObject();
        } finally {
            web.close();
        }
    }

    /** The Prometheus text of the admin API. */
    String metrics() {
        WebClient web = WebClient.create(vertx);
        try {
            return await(web.get(config.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
        } finally {
            web.close();
        }
    }

    <T> Future<T> onContext(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> call.get().onComplete(promise));
        return promise.future();
    }

    private RequestOptions options(String path) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(config.port())
                .setURI(path).setIdleTimeout(10_000);
    }

    @Override
    public void close() {
        blue.releaseSlow();
        green.releaseSlow();
        admin.close();
        await(http.close());
        await(server.close());
        await(blue.close());
        await(green.close());
    }
}
