package dev.switchman.traffic.haproxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * HAProxy's runtime API on its stats socket: one command per connection, as in its non-interactive mode, where
 * HAProxy answers and closes. Failing to connect is an error naming {@code router.socket}.
 */
final class RuntimeApi {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long ANSWER_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final NetClient client;
    private final SocketAddress address;
    private final String socket;

    RuntimeApi(Vertx vertx, HaproxyRouterSettings settings) {
        this.vertx = vertx;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        this.socket = settings.socket();
        if (settings.unixSocket()) {
            address = SocketAddress.domainSocketAddress(settings.socketPath());
        } else {
            int colon = settings.socket().lastIndexOf(':');
            address = SocketAddress.inetSocketAddress(Integer.parseInt(settings.socket().substring(colon + 1)),
                    settings.socket().substring(0, colon));
        }
    }

    /** Runs {@code command} and completes with HAProxy's whole answer, trailing blank line removed. */
    Future<String> run(String command) {
        Promise<String> answer = Promise.promise();
        client.connect(address).onComplete(connected -> {
            if (connected.failed()) {
                answer.fail(new IllegalStateException("router.socket: cannot reach HAProxy's stats socket " + socket + ": "
                        + connected.cause().getMessage() + " (haproxy.cfg needs 'stats socket ... level admin' there)",
                        connected.cause()));
                return;
            }
            var net = connected.result();
            Buffer received = Buffer.buffer();
            long timer = vertx.setTimer(ANSWER_TIMEOUT_MILLIS, id -> {
                answer.tryFail(new IllegalStateException("router.socket: HAProxy's stats socket " + socket
                        + " did not answer '" + verb(command) + "' within " + ANSWER_TIMEOUT_MILLIS + " ms"));
                net.close();
            });
            net.handler(received::appendBuffer);
            net.exceptionHandler(e -> answer.tryFail(new IllegalStateException("router.socket: HAProxy's stats socket "
                    + socket + " failed during '" + verb(command) + "': " + e.getMessage(), e)));
            net.closeHandler(v -> {
                vertx.cancelTimer(timer);
                answer.tryComplete(received.toString(StandardCharsets.UTF_8).stripTrailing());
            });
            net.write(command + "\n").onFailure(e -> answer.tryFail(new IllegalStateException(
                    "router.socket: cannot write to HAProxy's stats socket " + socket + ": " + e.getMessage(), e)));
        });
        return answer.future();
    }

    void close() {
        client.close();
    }

    /** The command's first words, for messages. */
    private static String verb(String command) {
        String[] words = command.split(" ");
        return words.length < 2 ? command : words[0] + " " + words[1];
    }
}
