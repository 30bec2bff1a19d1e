package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Drives a running {@link BuiltinRouterServer} through its admin API on {@code 127.0.0.1:router.adminPort},
 * with the token from the same place the server reads it.
 */
public final class BuiltinRouter implements Router {

    static final long POLL_MILLIS = 50;
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final BuiltinRouterSettings config;
    private final Path stateDir;
    private final WebClient client;
    private volatile String token;

    public BuiltinRouter(Vertx vertx, BuiltinRouterSettings config, Path stateDir) {
        this.vertx = vertx;
        this.config = config;
        this.stateDir = stateDir.toAbsolutePath();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(config.adminPort())
                .setConnectTimeout(5_000));
    }

    @Override
    public Future<Void> setWeights(TrafficTarget target) {
        JsonObject json = TargetJson.toJson(target);
        return call(HttpMethod.PUT, json).<Void>mapEmpty().recover(failure -> {
            // A router process started before versions were sent (it outlives upgrades) refuses the field: the
            // weights matter, the labels can wait for its restart.
            if (failure instanceof IllegalArgumentException && failure.getMessage().contains(".version: unknown field")) {
                return call(HttpMethod.PUT, withoutVersions(json)).mapEmpty();
            }
            return Future.failedFuture(failure);
        });
    }

    private static JsonObject withoutVersions(JsonObject target) {
        JsonObject copy = target.copy();
        copy.forEach(colour -> ((JsonObject) colour.getValue()).remove("version"));
        return copy;
    }

    @Override
    public Future<Boolean> verify(TrafficTarget target) {
        return status().map(status -> sameTarget(status.target(), target));
    }

    @Override
    public Future<RouterStatus> status() {
        return call(HttpMethod.GET, null);
    }

    /** Closes the colour's WebSocket tunnels, then waits for its in-flight requests to end. */
    @Override
    public Future<Void> drain(Colour colour) {
        Duration timeout = config.drainTimeout();
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + timeout.toNanos();
        closeTunnels(colour).onComplete(closed -> poll(colour, timeout, deadline, done));
        return done.future();
    }

    /** Never fails: a router from before tunnels answers 404, and the poll that follows says if it is unreachable. */
    private Future<Void> closeTunnels(Colour colour) {
        return post("/drain/" + colour.id(), null).otherwiseEmpty();
    }

    @Override
    public boolean canPause() {
        return true;
    }

    @Override
    public Future<Void> pause(Duration bound) {
        return post("/pause", new JsonObject().put("boundMs", bound.toMillis()));
    }

    @Override
    public Future<Void> resume() {
        return post("/resume", null);
    }

    /** A POST to the admin API that must answer 200; a router from before that path answers 404: restart it. */
    private Future<Void> post(String path, JsonObject body) {
        return token().compose(t -> {
            var request = client.request(HttpMethod.POST, path).bearerTokenAuthentication(t).timeout(REQUEST_TIMEOUT_MILLIS);
            Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
            return sent.transform(ar -> {
                if (ar.failed()) {
                    return Future.failedFuture(unreachable(ar.cause()));
                }
                HttpResponse<Buffer> response = ar.result();
                return switch (response.statusCode()) {
                    case 200 -> Future.<Void>succeededFuture();
                    case 404 -> Future.failedFuture(new IllegalStateException("the builtin router on " + admin()
                            + " has no " + path + ": it was started by an older Switchman; restart it ('switchman router')"));
                    default -> answer(response).<Void>mapEmpty();
                };
            });
        });
    }

    /** Releases the HTTP client. */
    public void close() {
        client.close();
    }

    private void poll(Colour colour, Duration timeout, long deadline, Promise<Void> done) {
        status().onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            long inFlight = ar.result().stats(colour).inFlight();
            if (inFlight == 0) {
                done.complete();
            } else if (System.nanoTime() - deadline >= 0) {
                done.fail(new IllegalStateException(inFlight + " request(s) to " + colour + " still in flight after "
                        + timeout.toMillis() + " ms of draining"));
            } else {
                vertx.setTimer(POLL_MILLIS, id -> poll(colour, timeout, deadline, done));
            }
        });
    }

    /** Equal when every colour has the same weight and endpoints; an absent colour is weight 0, no endpoints. */
    static boolean sameTarget(TrafficTarget actual, TrafficTarget expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        for (Colour colour : Colour.values()) {
            if (actual.weight(colour) != expected.weight(colour)
                    || !actual.endpoints(colour).equals(expected.endpoints(colour))) {
                return false;
            }
        }
        return true;
    }

    private Future<RouterStatus> call(HttpMethod method, JsonObject body) {
        return token().compose(t -> {
            var request = client.request(method, "/weights")
                    .bearerTokenAuthentication(t)
                    .timeout(REQUEST_TIMEOUT_MILLIS);
            Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
            return sent.transform(ar -> ar.succeeded() ? answer(ar.result()) : Future.failedFuture(unreachable(ar.cause())));
        });
    }

    private Future<RouterStatus> answer(HttpResponse<Buffer> response) {
        return switch (response.statusCode()) {
            case 200 -> {
                try {
                    yield Future.succeededFuture(TargetJson.statusFromJson(response.bodyAsJsonObject()));
                } catch (RuntimeException e) {
                    yield Future.failedFuture(new IllegalStateException(
                            "the builtin router on " + admin() + " answered with an unreadable status: " + e.getMessage(), e));
                }
            }
            case 401 -> {
                token = null; // read it again next time, in case the file was replaced
                yield Future.failedFuture(new IllegalStateException("the token in "
                    + RouterFiles.tokenSource(stateDir, config.port())
                    + " does not match the running router's (admin API " + admin() + ")"));
            }
            case 400 -> Future.failedFuture(new IllegalArgumentException(
                    "the builtin router rejected the target: " + errorText(response)));
            default -> Future.failedFuture(new IllegalStateException("the builtin router on " + admin()
                    + " answered " + response.statusCode() + ": " + errorText(response)));
        };
    }

    private Throwable unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new IllegalStateException("the builtin router is not running (admin API " + admin()
                        + "): start it with 'switchman up' or 'switchman router'", cause);
            }
        }
        return new IllegalStateException("cannot reach the builtin router's admin API " + admin() + ": " + cause.getMessage(), cause);
    }

    private static String errorText(HttpResponse<Buffer> response) {
        String text = response.bodyAsString();
        if (text == null) {
            return "(no message)";
        }
        try {
            String error = new JsonObject(text).getString("error");
            return error == null ? text : error;
        } catch (RuntimeException notJson) {
            return text;
        }
    }

    private String admin() {
        return "127.0.0.1:" + config.adminPort();
    }

    private Future<String> token() {
        String known = token;
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return vertx.executeBlocking(() -> RouterFiles.token(stateDir, config.port()), false)
                .onSuccess(t -> token = t);
    }
}
