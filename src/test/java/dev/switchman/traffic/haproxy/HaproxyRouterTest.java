package dev.switchman.traffic.haproxy;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the HAProxy router does beyond the contract: its state read back, draining, and refusing bad input. */
class HaproxyRouterTest {

    @TempDir
    Path dir;

    private HaproxyStack stack;
    private HttpClient http;

    @AfterEach
    void stop() {
        if (http != null) {
            await(http.close());
        }
        if (stack != null) {
            stack.close();
        }
    }

    private HaproxyStack stack(Duration drainTimeout) {
        stack = new HaproxyStack(dir, drainTimeout);
        http = stack.vertx.createHttpClient();
        return stack;
    }

    @Test
    void haproxysOwnStateReadsAsNoTargetUntilTheFirstSwitch() {
        stack(Duration.ofSeconds(10));
        assertThat(await(stack.router.status()).target()).as("the config's weight 256").isNull();
        await(stack.router.check());

        await(stack.router.setWeights(stack.split(25)));
        assertThat(await(stack.router.status()).target()).isEqualTo(stack.split(25));
        await(stack.router.setWeights(TrafficTarget.none()));
        assertThat(await(stack.router.status()).target()).isEqualTo(TrafficTarget.none());
    }

    @Test
    void aFirstReleaseNamesTheOtherColourWithNoEndpointAndItsUndoSetsNoTarget() {
        stack(Duration.ofSeconds(10));
        TrafficTarget first = TrafficTarget.all(GREEN, List.of(stack.green.endpoint()), List.of());

        await(stack.router.setWeights(first));
        assertThat(await(stack.router.verify(first))).isTrue();
        assertThat(get("/").body()).isEqualTo("green");
        TrafficTarget read = await(stack.router.status()).target();
        assertThat(read.weight(GREEN)).isEqualTo(100);
        assertThat(read.endpoints(BLUE)).as("blue has no endpoint").isEmpty();

        await(stack.router.setWeights(TrafficTarget.none()));
        assertThat(await(stack.router.verify(TrafficTarget.none()))).isTrue();
        assertThat(await(stack.router.verify(first))).as("green is in maint now").isFalse();
        assertThat(get("/").status()).as("no server takes requests").isEqualTo(503);

        // The next release then splits with blue as usual.
        await(stack.router.setWeights(first));
        await(stack.router.setWeights(stack.split(50)));
        assertThat(await(stack.router.verify(stack.split(50)))).isTrue();
    }

    @Test
    void theTcpStatsSocketDrivesItToo() {
        stack(Duration.ofSeconds(10));
        HaproxyRouter tcp = stack.router("127.0.0.1:" + stack.haproxy.tcpSocketPort, "app", "blue", "green", Duration.ofSeconds(10));
        try {
            await(tcp.check());
            await(tcp.setWeights(stack.split(100)));
            assertThat(await(stack.router.verify(stack.split(100)))).isTrue();
            assertThat(get("/").body()).isEqualTo("green");
        } finally {
            tcp.close();
        }
    }

    @Test
    void drainWaitsForTheOpenRequestOfTheColourSwitchedAway() {
        stack(Duration.ofSeconds(30));
        await(stack.router.setWeights(stack.split(0)));
        Future<Reply> slow = send("/slow");
        await().atMost(Futures.BOUND).until(() -> stack.blue.heldCount() == 1);
        assertThat(await(stack.router.status()).stats(BLUE).inFlight()).isEqualTo(1);

        await(stack.router.setWeights(stack.split(100)));
        Future<Void> drained = stack.router.drain(BLUE);
        assertThat(get("/").body()).as("new requests go to green").isEqualTo("green");
        assertThat(drained.isComplete()).as("drained while blue still serves a request").isFalse();

        stack.blue.releaseSlow();
        await(drained);
        assertThat(await(slow)).isEqualTo(new Reply(200, "blue:slow"));
        String green = await(stack.router.drain(GREEN).map(v -> "drained"));
        assertThat(green).as("green serves nothing").isEqualTo("drained");
    }

    @Test
    void drainGivesUpAfterDrainTimeoutNamingIt() {
        stack(Duration.ofMillis(300));
        await(stack.router.setWeights(stack.split(0)));
        Future<Reply> slow = send("/slow");
        await().atMost(Futures.BOUND).until(() -> stack.blue.heldCount() == 1);
        await(stack.router.setWeights(stack.split(100)));

        assertThatThrownBy(() -> await(stack.router.drain(BLUE)))
                .hasMessageContaining("router.drainTimeout")
                .hasMessageContaining("1 session(s) on blue (app/blue) still open after 300 ms");
        stack.blue.releaseSlow();
        assertThat(await(slow).status()).isEqualTo(200);
    }

    @Test
    void aWrongBackendIsNamedAndNothingIsTouched() {
        stack(Duration.ofSeconds(10));
        HaproxyRouter wrong = stack.router(stack.haproxy.socket.toString(), "shop", "blue", "green", Duration.ofSeconds(10));
        try {
            for (Future<?> attempt : List.of(wrong.check(), wrong.setWeights(stack.split(0)), wrong.status())) {
                assertThatThrownBy(() -> await(attempt))
                        .hasMessageStartingWith("router.backend: HAProxy has no backend 'shop'")
                        .hasMessageEndingWith("backends: app)");
            }
        } finally {
            wrong.close();
        }
        assertThat(await(stack.router.status()).target()).as("untouched").isNull();
    }

    @Test
    void aWrongServerIsNamedAndNothingIsTouched() {
        stack(Duration.ofSeconds(10));
        HaproxyRouter wrong = stack.router(stack.haproxy.socket.toString(), "app", "blue", "gren", Duration.ofSeconds(10));
        try {
            for (Future<?> attempt : List.of(wrong.check(), wrong.setWeights(stack.split(0)))) {
                assertThatThrownBy(() -> await(attempt))
                        .hasMessage("router.servers.green: HAProxy's backend 'app' has no server 'gren' (servers: blue, green)");
            }
        } finally {
            wrong.close();
        }
        assertThat(await(stack.router.status()).target()).as("untouched: blue was not set either").isNull();
    }

    @Test
    void aSocketThatDoesNotExistIsNamed() {
        stack(Duration.ofSeconds(10));
        Path missing = dir.resolve("no-such.sock");
        for (String socket : List.of(missing.toString(), "127.0.0.1:" + dev.switchman.support.Ports.free())) {
            HaproxyRouter wrong = stack.router(socket, "app", "blue", "green", Duration.ofSeconds(10));
            try {
                for (Future<?> attempt : List.of(wrong.check(), wrong.setWeights(stack.split(0)), wrong.drain(BLUE))) {
                    assertThatThrownBy(() -> await(attempt))
                            .hasMessageStartingWith("router.socket: cannot reach HAProxy's stats socket " + socket + ": ")
                            .hasMessageContaining("level admin");
                }
            } finally {
                wrong.close();
            }
        }
    }

    @Test
    void moreEndpointsThanServersAreRefusedBeforeAnythingChanges() {
        stack(Duration.ofSeconds(10));
        TrafficTarget two = TrafficTarget.split(BLUE, List.of(stack.blue.endpoint()),
                List.of(stack.green.endpoint(), new Endpoint("127.0.0.1", 1)), 50);
        assertThatThrownBy(() -> await(stack.router.setWeights(two)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("router.servers.green: names one HAProxy server, but green has 2 endpoints");
        TrafficTarget named = new TrafficTarget(Map.of(BLUE, new TrafficTarget.Backend(List.of(new Endpoint("localhost", 8081)), 100)));
        assertThatThrownBy(() -> await(stack.router.setWeights(named)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("router.servers.blue").hasMessageContaining("localhost:8081");
        assertThat(await(stack.router.status()).target()).as("untouched").isNull();
    }

    private record Reply(int status, String body) {}

    private Reply get(String path) {
        return await(send(path));
    }

    /** Sends from a Vert.x context: a response read from another thread can lose its body (Vert.x 5). */
    private Future<Reply> send(String path) {
        Endpoint address = stack.publicAddress();
        Promise<Reply> reply = Promise.promise();
        stack.vertx.getOrCreateContext().runOnContext(v -> http.request(HttpMethod.GET, address.port(), address.host(), path)
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.toString())))
                .onComplete(reply));
        return reply.future();
    }
}
