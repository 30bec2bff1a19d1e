package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's errors are what the upstream did wrong; a client that went away is counted apart, as an abort,
 * and never as an error, since the errors decide a release.
 */
class BuiltinRouterAbortsTest extends RouterTestSupport {

    private RouterUnderTest router;

    @BeforeEach
    void start() {
        router = startedOnBlue();
    }

    @AfterEach
    void stop() {
        router.close();
    }

    @Test
    void clientsThatGiveUpOnASlowUpstreamAreAbortsNotErrors() {
        List<HttpClientRequest> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(await(router.open("/slow")));
        }
        await().until(() -> router.blue.heldCount() == 5);
        assertThat(router.stats(BLUE).inFlight()).isEqualTo(5);

        waiting.forEach(router::leave);
        await().until(() -> router.stats(BLUE).inFlight() == 0);

        RouterStatus.ColourStats stats = router.stats(BLUE);
        assertThat(stats.requests()).isEqualTo(5);
        assertThat(stats.errors()).as("errors").isZero();
        assertThat(stats.clientAborts()).isEqualTo(5);
        assertThat(router.metrics())
                .contains("switchman_router_client_aborts_total{colour=\"blue\",version=\"\"} 5.0")
                .contains("switchman_router_requests_total{colour=\"blue\",outcome=\"error\",version=\"\"} 0.0");
    }

    @Test
    void aClientThatLeavesWhileTheResponseIsSentIsAnAbortNotAnError() {
        HttpClientRequest request = await(router.open("/stream"));
        HttpClientResponse response = await(router.onContext(request::response));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(router.stats(BLUE).inFlight()).isEqualTo(1);

        router.leave(request);
        await().until(() -> router.stats(BLUE).inFlight() == 0);

        assertThat(router.stats(BLUE).errors()).as("errors").isZero();
        assertThat(router.stats(BLUE).clientAborts()).isEqualTo(1);
        assertThat(router.metrics()).contains("switchman_router_client_aborts_total{colour=\"blue\",version=\"\"} 1.0");
    }

    @Test
    void aClientThatResetsItsConnectionIsAnAbortNotAnError() throws Exception {
        // before the upstream answered
        try (Socket socket = rawGet("/slow")) {
            await().until(() -> router.blue.heldCount() == 1);
            socket.setSoLinger(true, 0); // closing now sends a TCP reset, as a killed load generator does
        }
        await().until(() -> router.stats(BLUE).inFlight() == 0);
        // while the response is sent
        try (Socket socket = rawGet("/stream")) {
            byte[] head = socket.getInputStream().readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            socket.setSoLinger(true, 0);
        }
        await().until(() -> router.stats(BLUE).inFlight() == 0);

        assertThat(router.stats(BLUE).errors()).as("errors").isZero();
        assertThat(router.stats(BLUE).clientAborts()).isEqualTo(2);
    }

    private Socket rawGet(String path) throws Exception {
        Socket socket = new Socket("127.0.0.1", router.config.port());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    @Test
    void whatTheUpstreamDidWrongStillCountsAsErrors() {
        // a 5xx answer, and a connection the upstream closes in the middle of its response
        assertThat(await(router.get("/status/503")).status()).isEqualTo(503);
        Future<RouterUnderTest.Reply> cut = router.get("/reset");
        await().until(cut::isComplete);
        // a connection the upstream refuses, with no other colour to retry on
        Endpoint nobody = new Endpoint("127.0.0.1", Ports.free());
        await(router.admin.setWeights(new TrafficTarget(Map.of(GREEN, new TrafficTarget.Backend(List.of(nobody), 100)))));
        assertThat(await(router.get("/")).status()).isEqualTo(502);

        await().until(() -> router.stats(BLUE).inFlight() == 0 && router.stats(GREEN).inFlight() == 0);
        assertThat(router.stats(BLUE).requests()).isEqualTo(2);
        assertThat(router.stats(BLUE).errors()).isEqualTo(2);
        assertThat(router.stats(GREEN).requests()).isEqualTo(1);
        assertThat(router.stats(GREEN).errors()).isEqualTo(1);
        assertThat(router.stats(BLUE).clientAborts() + router.stats(GREEN).clientAborts()).isZero();
        assertThat(router.metrics())
                .contains("switchman_router_client_aborts_total{colour=\"blue\",version=\"\"} 0.0")
                .contains("switchman_router_client_aborts_total{colour=\"green\",version=\"\"} 0.0");
    }
}
