package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
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
import java.time.Duration;

/** The builtin router, served in this JVM and driven through its admin API, keeps the router contract. */
class BuiltinRouterContractTest extends RouterContract {

    private BuiltinRouterServer server;
    private BuiltinRouter client;
    private HttpClient http;
    /** Requests are sent from here: a response read from another thread can lose its body (Vert.x 5). */
    private Context context;

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        BuiltinRouterSettings config = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(10));
        context = vertx.getOrCreateContext();
        http = vertx.createHttpClient();
        server = await(BuiltinRouterServer.start(vertx, config, stateDir));
        client = new BuiltinRouter(vertx, config, stateDir);
        return client;
    }

    @Override
    protected void stopRouter() {
        if (client != null) {
            client.close();
        }
        if (http != null) {
            await(http.close());
        }
        if (server != null) {
            await(server.close());
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return new Endpoint("127.0.0.1", server.port());
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
