package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dead endpoint costs no request: a request the router could not connect with is sent once to the other colour,
 * the endpoint is out of rotation until it accepts connections again, and the counters still show the dead
 * colour's failures. A request the upstream received is never sent twice.
 */
class BuiltinRouterFailoverTest extends RouterTestSupport {

    private RouterUnderTest router;
    private Replica blue;
    private Replica green;

    @BeforeEach
    void start() {
        router = RouterUnderTest.start(vertx, stateDir);
        blue = Replica.start(vertx, "blue");
        green = Replica.start(vertx, "green");
    }

    @AfterEach
    void stop() {
        router.close();
        blue.kill();
        green.kill();
    }

    @Test
    void aColourThatDiesUnderLoadLosesNoRequestAndItsCountersShowItsFailures() {
        route(TrafficTarget.all(BLUE, List.of(blue.endpoint()), List.of(green.endpoint())));
        ClientLoop load = ClientLoop.start(router, 4);
        await().until(() -> load.ok() >= 200 || !load.failures().isEmpty());

        // Killed between two requests of every client: a request the upstream already had would die with it.
        await(load.pause());
        await().until(load::idle);
        RouterStatus.ColourStats blueBefore = router.stats(BLUE);
        RouterStatus.ColourStats greenBefore = router.stats(GREEN);
        long retriedBefore = retried(BLUE);
        int okBefore = load.ok();
        int blueServed = blue.served();
        blue.kill();
        load.resume();
        await().until(() -> load.ok() >= okBefore + 500 || !load.failures().isEmpty());
        load.stop();
        await().until(load::stopped);

        assertThat(load.failures()).as("requests that failed").isEmpty();
        int afterDeath = load.ok() - okBefore;
        assertThat(load.answeredBy("green")).as("answered by green").isEqualTo(afterDeath);
        assertThat(blue.served()).isEqualTo(blueServed);
        awaitNothingInFlight();
        long blueFailed = router.stats(BLUE).errors() - blueBefore.errors();
        assertThat(blueFailed).as("blue's errors").isEqualTo(afterDeath);
        assertThat(router.stats(BLUE).requests() - blueBefore.requests()).as("blue's requests").isEqualTo(afterDeath);
        assertThat(router.stats(GREEN).requests() - greenBefore.requests()).as("green's requests").isEqualTo(afterDeath);
        assertThat(router.stats(GREEN).errors()).as("green's errors").isEqualTo(greenBefore.errors());
        assertThat(retried(BLUE) - retriedBefore).as("retried").isEqualTo(afterDeath);
        assertThat(retried(GREEN)).isZero();
        assertThat(down()).containsExactly(blue.endpoint().toString());
        assertThat(router.metrics())
                .contains("switchman_router_retried_total{colour=\"blue\",version=\"\"} " + (double) retried(BLUE))
                .contains("switchman_router_retried_total{colour=\"green\",version=\"\"} 0.0");
    }

    @Test
    void aDeadEndpointIsUsedAgainOnceItAcceptsConnections() {
        route(TrafficTarget.all(BLUE, List.of(blue.endpoint()), List.of(green.endpoint())));
        assertThat(body(get())).isEqualTo("blue");
        blue.kill();
        for (int i = 0; i < 5; i++) {
            assertThat(body(get())).isEqualTo("green");
        }
        assertThat(down()).containsExactly(blue.endpoint().toString());

        blue.revive();
        await().until(() -> body(get()).equals("blue"));
        assertThat(down()).isEmpty();
        int greenServed = green.served();
        for (int i = 0; i < 10; i++) {
            assertThat(body(get())).isEqualTo("blue");
        }
        assertThat(green.served()).as("green, at weight 0, once blue is back").isEqualTo(greenServed);
    }

    @Test
    void aTargetIsAcknowledgedOnceTheEndpointsDownWereProbedAgain() {
        TrafficTarget allBlue = TrafficTarget.all(BLUE, List.of(blue.endpoint()), List.of(green.endpoint()));
        route(allBlue);
        blue.kill();
        assertThat(body(get())).isEqualTo("green");
        assertThat(down()).containsExactly(blue.endpoint().toString());

        // A slot that listens again when the coordinator gives it traffic must not wait for its next probe: its
        // requests would meanwhile go to the other colour and count as its errors.
        blue.revive();
        route(allBlue);
        assertThat(down()).isEmpty();
        assertThat(body(get())).isEqualTo("blue");
    }

    @Test
    void aPostIsRetriedWithItsBodyIntact() {
        // Each dead endpoint is new to the router, so its first request is refused, then retried.
        route(TrafficTarget.all(BLUE, List.of(nobody()), List.of(green.endpoint())));
        String small = "small body " + "x".repeat(1000);
        assertThat(body(router.post("/", Buffer.buffer(small), false))).isEqualTo("green:" + small);
        // Nothing of the body is read before a connection exists, so a large streamed one is sent whole too.
        route(TrafficTarget.all(BLUE, List.of(nobody()), List.of(green.endpoint())));
        String large = "large body " + "y".repeat(2 * 1024 * 1024);
        assertThat(body(router.post("/", Buffer.buffer(large), true))).isEqualTo("green:" + large);
        // and one sent while the dead endpoint is out of rotation
        assertThat(body(router.post("/", Buffer.buffer(small), false))).isEqualTo("green:" + small);

        awaitNothingInFlight();
        assertThat(retried(BLUE)).isEqualTo(3);
        assertThat(router.stats(BLUE).errors()).isEqualTo(3);
        assertThat(router.stats(GREEN).requests()).isEqualTo(3);
        assertThat(router.stats(GREEN).errors()).isZero();
    }

    @Test
    void withNoOtherColourADeadUpstreamStillAnswers502() {
        route(new TrafficTarget(Map.of(BLUE, new TrafficTarget.Backend(List.of(nobody()), 100))));
        assertThat(get().status()).isEqualTo(502);
        assertThat(get().status()).as("with the endpoint out of rotation").isEqualTo(502);
        awaitNothingInFlight();
        assertThat(router.stats(BLUE).requests()).isEqualTo(2);
        assertThat(router.stats(BLUE).errors()).isEqualTo(2);
        assertThat(retried(BLUE)).isZero();

        // Both colours dead: one retry, then 502, each colour counting its failed attempt.
        route(TrafficTarget.all(BLUE, List.of(nobody()), List.of(nobody())));
        assertThat(get().status()).isEqualTo(502);
        awaitNothingInFlight();
        assertThat(router.stats(BLUE).errors()).isEqualTo(3);
        assertThat(router.stats(GREEN).requests()).isEqualTo(1);
        assertThat(router.stats(GREEN).errors()).isEqualTo(1);
        assertThat(retried(BLUE)).isEqualTo(1);
        assertThat(retried(GREEN)).isZero();
    }

    @Test
    void aRequestTheUpstreamReceivedIsNotSentAgainUnlessItIsASafeOneWithoutBody() {
        // It reads the whole request, then resets the connection without answering: it may have acted on it.
        AtomicInteger received = new AtomicInteger();
        HttpServer dropper = await(vertx.createHttpServer(new HttpServerOptions().setSoLinger(0))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.incrementAndGet();
                    request.connection().close();
                }))
                .listen(0, "127.0.0.1"));
        try {
            Endpoint dropping = new Endpoint("127.0.0.1", dropper.actualPort());
            route(TrafficTarget.all(BLUE, List.of(dropping), List.of(green.endpoint())));

            assertThat(await(router.post("/", Buffer.buffer("pay 10"), false)).status()).as("a POST").isEqualTo(502);
            awaitNothingInFlight();
            assertThat(received.get()).as("requests the upstream received").isEqualTo(1);
            assertThat(green.served()).as("the POST sent again to green").isZero();
            assertThat(retried(BLUE)).isZero();

            // A GET without a body is safe to send again: as nginx does, it goes once to the other colour.
            assertThat(get().status()).as("a GET").isEqualTo(200);
            awaitNothingInFlight();
            assertThat(received.get()).isEqualTo(2);
            assertThat(green.served()).as("the GET sent again to green").isEqualTo(1);
            assertThat(router.stats(BLUE).requests()).isEqualTo(2);
            assertThat(router.stats(BLUE).errors()).as("both attempts blue dropped are its errors").isEqualTo(2);
            assertThat(router.stats(GREEN).requests()).isEqualTo(1);
            assertThat(router.stats(GREEN).errors()).isZero();
            assertThat(retried(BLUE)).isEqualTo(1);
            assertThat(down()).as("it accepted the connections: not down").isEmpty();
        } finally {
            await(dropper.close());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void route(TrafficTarget target) {
        await(router.admin.setWeights(target));
    }

    private RouterUnderTest.Reply get() {
        return await(router.get("/"));
    }

    private static String body(RouterUnderTest.Reply reply) {
        assertThat(reply.status()).as("status of " + reply.body()).isEqualTo(200);
        return reply.body();
    }

    private static String body(Future<RouterUnderTest.Reply> reply) {
        return body(await(reply));
    }

    private static Endpoint nobody() {
        return new Endpoint("127.0.0.1", Ports.free());
    }

    private long retried(Colour colour) {
        return router.status().getJsonObject("stats").getJsonObject(colour.id()).getLong("retried", -1L);
    }

    private List<Object> down() {
        JsonArray down = router.status().getJsonArray("down");
        return down == null ? null : down.getList();
    }

    private void awaitNothingInFlight() {
        await().until(() -> router.stats(BLUE).inFlight() == 0 && router.stats(GREEN).inFlight() == 0);
    }
}
