package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket goes through the router like any request, by weight, and stays open both ways; a colour that loses its
 * weight, or is drained, has its sockets closed at once, so its clients reconnect to the colour now serving.
 */
class BuiltinRouterWebSocketTest extends RouterTestSupport {

    private RouterUnderTest router;
    private HttpServer blue;
    private HttpServer green;
    private WebSocketClient client;

    @BeforeEach
    void start() {
        router = RouterUnderTest.start(vertx, stateDir);
        blue = echo("blue");
        green = echo("green");
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() {
        await(client.close());
        router.close();
        await(blue.close());
        await(green.close());
    }

    @Test
    void aWebSocketIsRoutedByWeightAndCarriesMessagesBothWays() {
        route(70);
        Map<String, Integer> answeredBy = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            Socket socket = connect();
            String answer = socket.send("hello " + i);
            answeredBy.merge(answer.substring(0, answer.indexOf(':')), 1, Integer::sum);
            assertThat(answer).endsWith(":hello " + i);
            assertThat(socket.ws.subProtocol()).as("the subprotocol the endpoint chose").isEqualTo("chat");
            await(socket.ws.close());
        }
        assertThat(answeredBy).containsEntry("blue", 3).containsEntry("green", 7);
        await().until(() -> tunnels(BLUE) == 0 && tunnels(GREEN) == 0);
        await().until(() -> router.stats(BLUE).inFlight() == 0 && router.stats(GREEN).inFlight() == 0);
        assertThat(router.stats(BLUE).requests()).as("handshakes of blue").isEqualTo(3);
        assertThat(router.stats(GREEN).requests()).isEqualTo(7);
        assertThat(router.stats(BLUE).errors() + router.stats(GREEN).errors()).isZero();
        assertThat(router.metrics()).contains("switchman_router_tunnels_opened_total{colour=\"green\"} 7.0");
    }

    @Test
    void aColourThatLosesItsWeightHasItsSocketsClosedAndCountedAndItsClientsReconnectToTheOther() {
        route(0);
        List<Socket> onBlue = List.of(connect(), connect());
        for (Socket socket : onBlue) {
            assertThat(socket.send("before")).isEqualTo("blue:before");
        }
        await().until(() -> tunnels(BLUE) == 2);

        route(100);
        for (Socket socket : onBlue) {
            await().until(socket.closed::get);
        }
        await().until(() -> tunnels(BLUE) == 0);
        assertThat(drained(BLUE)).isEqualTo(2);
        assertThat(connect().send("after")).isEqualTo("green:after");
        assertThat(tunnels(GREEN)).isEqualTo(1);
        assertThat(drained(GREEN)).isZero();
        assertThat(router.metrics())
                .contains("switchman_router_tunnels_drained_total{colour=\"blue\"} 2.0")
                .contains("switchman_router_tunnels{colour=\"green\"} 1.0");
    }

    @Test
    void aDrainClosesTheColoursSocketsAndDoesNotWaitForThem() {
        route(100);
        Socket socket = connect();
        assertThat(socket.send("hi")).isEqualTo("green:hi");
        await().until(() -> tunnels(GREEN) == 1);

        await(router.admin.drain(GREEN));
        await().until(socket.closed::get);
        await().until(() -> tunnels(GREEN) == 0);
        assertThat(drained(GREEN)).isEqualTo(1);
    }

    @Test
    void aRefusedUpgradeIsAnsweredAsTheEndpointAnsweredIt() {
        route(0);
        Future<WebSocket> refused = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(router.config.port()).setURI("/forbidden"));
        await().until(refused::isComplete);
        assertThat(refused.failed()).isTrue();
        assertThat(refused.cause().getMessage()).contains("403");
        await().until(() -> router.stats(BLUE).inFlight() == 0);
        assertThat(router.stats(BLUE).errors()).as("a 403 is the application's answer, not an error").isZero();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** A client's WebSocket through the router, with the messages it received. */
    private record Socket(WebSocket ws, ConcurrentLinkedQueue<String> received, AtomicBoolean closed) {
        String send(String text) {
            int before = received.size();
            await(ws.writeTextMessage(text));
            await().until(() -> received.size() > before);
            return received.stream().skip(before).findFirst().orElseThrow();
        }
    }

    private Socket connect() {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        AtomicBoolean closed = new AtomicBoolean();
        WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(router.config.port()).setURI("/ws").setSubProtocols(List.of("chat"))));
        ws.textMessageHandler(received::add);
        ws.closeHandler(v -> closed.set(true));
        return new Socket(ws, received, closed);
    }

    /** A real WebSocket server that answers each text message with its name before it; refuses /forbidden. */
    private static HttpServer echo(String name) {
        AtomicInteger ignored = new AtomicInteger();
        return await(vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("chat")))
                .webSocketHandshakeHandler(handshake -> {
                    if (handshake.path().equals("/forbidden")) {
                        handshake.reject(403);
                    } else {
                        handshake.accept();
                    }
                })
                .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage(name + ":" + text)))
                .requestHandler(request -> request.response().end(name + ":" + ignored.incrementAndGet()))
                .listen(0, "127.0.0.1"));
    }

    private void route(int greenWeight) {
        await(router.admin.setWeights(TrafficTarget.split(BLUE, List.of(new Endpoint("127.0.0.1", blue.actualPort())),
                List.of(new Endpoint("127.0.0.1", green.actualPort())), greenWeight)));
    }

    private long tunnels(Colour colour) {
        return stats(colour).getLong("tunnels");
    }

    private long drained(Colour colour) {
        return stats(colour).getLong("tunnelsDrained");
    }

    private JsonObject stats(Colour colour) {
        return router.status().getJsonObject("stats").getJsonObject(colour.id());
    }
}
