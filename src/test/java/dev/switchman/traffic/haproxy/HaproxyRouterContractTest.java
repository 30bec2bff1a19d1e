package dev.switchman.traffic.haproxy;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterContract;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real HAProxy on the config template, driven through its stats socket, keeps the router contract. */
class HaproxyRouterContractTest extends RouterContract {

    private HaproxyDaemon haproxy;
    private HaproxyRouter router;
    private HttpClient http;
    /** Requests are sent from here: a response read from another thread can lose its body (Vert.x 5). */
    private Context context;

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        haproxy = HaproxyDaemon.start(stateDir.resolve("haproxy"));
        context = vertx.getOrCreateContext();
        http = vertx.createHttpClient();
        router = new HaproxyRouter(vertx, new HaproxyRouterSettings(haproxy.socket.toString(), "app",
                new HaproxyRouterSettings.Servers("blue", "green"), Duration.ofSeconds(10)), Clock.systemUTC());
        return router;
    }

    @Override
    protected void stopRouter() {
        if (router != null) {
            router.close();
        }
        if (http != null) {
            http.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return haproxy.publicAddress;
    }

    @Override
    protected Future<Reply> get(Endpoint address, String path) {
        Promise<Reply> reply = Promise.promise();
        context.runOnContext(v -> http.request(HttpMethod.GET, address.port(), address.host(), path)
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.toString())))
                .onComplete(reply));
        return reply.future();
    }

    @Override
    protected boolean countsPerColour() {
        return true;
    }
}
