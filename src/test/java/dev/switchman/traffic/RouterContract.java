package dev.switchman.traffic;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Router} must do, checked against the real router with one real {@link Upstream} per colour
 * (its body is the colour's id), switches under keep-alive GET and POST load included. A router kind's test extends
 * this and supplies the router through the hooks.
 */
public abstract class RouterContract {

    private static Vertx vertx;
    /** Keep-alive clients of the tests under load, and the requests answered between two switches. */
    private static final int LOAD_CLIENTS = 8;
    private static final int BETWEEN_SWITCHES = 40;

    @TempDir
    Path stateDir;

    private Upstream blue;
    private Upstream green;
    private Router router;
    private HttpClient http;
    /** Requests are sent from here: a response read from another thread can lose its body (Vert.x 5). */
    private Context context;

    /** A response to a request through the router. */
    public record Reply(int status, String body) {}

    /**
     * Starts a fresh router of the kind under test (its daemon too, when Switchman serves it): no target, nothing
     * counted. Returns the client the coordinator would drive it with.
     */
    protected abstract Router startRouter(Vertx vertx, Path stateDir);

    /** Stops what {@link #startRouter} started; also called when the start failed part-way. */
    protected abstract void stopRouter();

    /** Where the router takes public traffic. */
    protected abstract Endpoint publicAddress();

    /** Sends {@code GET path} to {@code address}, from a context of the contract's own. */
    protected Future<Reply> get(Endpoint address, String path) {
        Promise<Reply> reply = Promise.promise();
        context.runOnContext(v -> http.request(HttpMethod.GET, address.port(), address.host(), path)
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.toString())))
                .onComplete(reply));
        return reply.future();
    }

    /**
     * Whether {@link Router#status()} counts requests per colour. A kind that cannot says so here, and must then
     * report no counts at all rather than wrong ones.
     */
    protected abstract boolean countsPerColour();

    /** By how many requests a short run may miss its exact split; 0 for smooth weighted round-robin. */
    protected int splitTolerance() {
        return 0;
    }

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void startUpstreamsAndRouter() {
        blue = Upstream.start(vertx, BLUE.id());
        green = Upstream.start(vertx, GREEN.id());
        context = vertx.getOrCreateContext();
        http = vertx.createHttpClient();
        router = startRouter(vertx, stateDir);
    }

    @AfterEach
    void stopRouterAndUpstreams() {
        stopRouter();
        if (http != null) {
            await(http.close());
        }
        for (Upstream upstream : new Upstream[] {blue, green}) {
            if (upstream != null) {
                await(upstream.close());
            }
        }
    }

    @Test
    void verifyHoldsForTheTargetSetAndForNoOther() {
        assertThat(verify(split(30))).as("before any target was set").isFalse();
        setWeights(split(30));
        assertThat(verify(split(30))).isTrue();
        assertThat(verify(split(60))).as("other weights").isFalse();
        assertThat(verify(TrafficTarget.split(BLUE, List.of(green.endpoint()), List.of(blue.endpoint()), 30)))
                .as("other endpoints").isFalse();
        assertThat(verify(TrafficTarget.none())).as("no traffic").isFalse();
    }

    @Test
    void theVersionsATargetCarriesChangeNeitherWhatIsAppliedNorItsVerification() {
        // The release names the version each colour runs; a router without a use for it routes as without it.
        TrafficTarget versioned = split(30).withVersion(BLUE, "1.4.2").withVersion(GREEN, "1.5.0");
        setWeights(versioned);
        assertThat(verify(versioned)).isTrue();
        assertThat(verify(split(30))).as("the same routing without versions").isTrue();
        assertSplit(colours(10), 10, 30);

        setWeights(versioned);
        assertThat(verify(versioned)).as("set again").isTrue();
        assertThat(verify(split(60).withVersion(BLUE, "1.4.2").withVersion(GREEN, "1.5.0"))).as("other weights").isFalse();
        setWeights(split(60));
        assertThat(verify(split(60).withVersion(GREEN, "1.5.0"))).as("versions the router was not given").isTrue();
    }

    @Test
    void settingTheSameTargetAgainIsHarmless() {
        setWeights(split(50));
        Map<String, Integer> answered = colours(3);
        Map<Colour, Long> counted = requests();

        setWeights(split(50));
        setWeights(split(50));
        assertThat(verify(split(50))).isTrue();
        if (countsPerColour()) {
            assertThat(requests()).as("counted after setting the same target again").isEqualTo(counted);
        }

        colours(3).forEach((colour, n) -> answered.merge(colour, n, Integer::sum));
        // The split carries on across the re-set instead of starting over.
        assertSplit(answered, 6, 50);
        if (countsPerColour()) {
            awaitCounted(answered);
        }
    }

    @Test
    void allTrafficGoesBackToOneColourEitherWay() {
        setWeights(split(50));
        assertSplit(colours(4), 4, 50);
        for (int greenWeight : new int[] {0, 100, 0}) {
            setWeights(split(greenWeight));
            Upstream live = greenWeight == 0 ? blue : green;
            Upstream idle = greenWeight == 0 ? green : blue;
            int idleServed = idle.served();
            assertThat(colours(10)).as("all to " + live.name).containsOnlyKeys(live.name);
            assertThat(idle.served()).as(idle.name + " gets no request").isEqualTo(idleServed);
        }
    }

    @Test
    void requestsThroughTheRouterAreCountedPerColour() {
        setWeights(split(30));
        Map<String, Integer> answered = colours(10);
        assertSplit(answered, 10, 30);
        if (countsPerColour()) {
            awaitCounted(answered);
        } else {
            RouterStatus status = status();
            for (Colour colour : Colour.values()) {
                assertThat(status.stats(colour)).as(colour + ": a router that cannot count reports nothing")
                        .isEqualTo(RouterStatus.ColourStats.NONE);
            }
        }
    }

    @Test
    void noTargetLeavesNoColourWithTraffic() {
        setWeights(split(50));
        colours(2);
        setWeights(TrafficTarget.none());
        assertThat(verify(TrafficTarget.none())).isTrue();
        assertThat(verify(split(50))).isFalse();

        int blueServed = blue.served();
        int greenServed = green.served();
        Map<Colour, Long> counted = requests();
        for (int i = 0; i < 3; i++) {
            Reply reply = send();
            assertThat(reply.status()).as("answer with no colour to send to: " + reply).isGreaterThanOrEqualTo(500);
        }
        assertThat(blue.served()).as("requests to blue").isEqualTo(blueServed);
        assertThat(green.served()).as("requests to green").isEqualTo(greenServed);
        if (countsPerColour()) {
            assertThat(requests()).as("counted with no target").isEqualTo(counted);
        }
    }

    @Test
    void aFirstReleaseNamesTheOtherColourWithNoEndpoint() {
        // Nothing was live: the new colour takes everything, the other one is known by name only.
        TrafficTarget first = new TrafficTarget(Map.of(
                GREEN, new TrafficTarget.Backend(List.of(green.endpoint()), 100),
                BLUE, new TrafficTarget.Backend(List.of(), 0)));
        setWeights(first);
        assertThat(verify(first)).isTrue();
        int blueServed = blue.served();
        for (int i = 0; i < 5; i++) {
            assertThat(send().status()).isEqualTo(200);
        }
        assertThat(blue.served()).as("requests to blue").isEqualTo(blueServed);
        assertThat(status().target().weight(GREEN)).isEqualTo(100);
        // Its undo: no traffic anywhere.
        setWeights(TrafficTarget.none());
        assertThat(verify(TrafficTarget.none())).isTrue();
    }

    @Test
    void twentySwitchesBackAndForthUnderKeepAliveLoadFailNoRequest() {
        setWeights(split(0));
        LoadLoop load = LoadLoop.start(vertx, publicAddress(), LOAD_CLIENTS);
        try {
            awaitAnswered(load, BETWEEN_SWITCHES);
            long switching = 0;
            for (int i = 1; i <= 20; i++) {
                TrafficTarget target = split(i % 2 == 1 ? 100 : 0);
                long start = System.nanoTime();
                setWeights(target);
                switching += System.nanoTime() - start;
                assertThat(verify(target)).as("switch " + i + " applied").isTrue();
                awaitAnswered(load, BETWEEN_SWITCHES);
            }
            stop(load);
            System.out.printf("%s: 20 switches under %d keep-alive clients (GET and POST): %d requests (blue %d, green %d),"
                    + " %d failed, mean setWeights %.1f ms%n", getClass().getSimpleName(), LOAD_CLIENTS, load.done(),
                    load.answeredBy(BLUE.id()), load.answeredBy(GREEN.id()), load.failures().size(), switching / 20 / 1e6);
            assertThat(load.failures()).as("failed requests of " + load.done()).isEmpty();
            assertThat(load.answeredBy(BLUE.id())).isGreaterThan(BETWEEN_SWITCHES);
            assertThat(load.answeredBy(GREEN.id())).isGreaterThan(BETWEEN_SWITCHES);
        } finally {
            stop(load);
            load.close();
        }
    }

    @Test
    void allBackToOneColourMidShiftUnderLoadThenADrainFailNoRequest() {
        setWeights(split(0));
        LoadLoop load = LoadLoop.start(vertx, publicAddress(), LOAD_CLIENTS);
        try {
            awaitAnswered(load, BETWEEN_SWITCHES);
            setWeights(split(50));
            awaitAnswered(load, BETWEEN_SWITCHES);
            assertThat(load.answeredBy(GREEN.id())).as("green took part of the shift").isPositive();

            TrafficTarget back = TrafficTarget.all(BLUE, List.of(blue.endpoint()), List.of(green.endpoint()));
            setWeights(back);
            assertThat(verify(back)).isTrue();
            await(router.drain(GREEN));
            int greenAfterDrain = green.served();
            awaitAnswered(load, BETWEEN_SWITCHES * 2);
            stop(load);

            assertThat(load.failures()).as("failed requests of " + load.done()).isEmpty();
            assertThat(green.served()).as("requests to green once drained").isEqualTo(greenAfterDrain);
        } finally {
            stop(load);
            load.close();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Waits until {@code n} more requests were answered or failed. */
    private static void awaitAnswered(LoadLoop load, int n) {
        int target = load.done() + n;
        await().atMost(Futures.BOUND).until(() -> load.done() >= target);
    }

    private static void stop(LoadLoop load) {
        load.stop();
        await().atMost(Futures.BOUND).until(load::stopped);
    }

    private TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(BLUE, List.of(blue.endpoint()), List.of(green.endpoint()), greenWeight);
    }

    private void setWeights(TrafficTarget target) {
        await(router.setWeights(target));
    }

    private boolean verify(TrafficTarget target) {
        return await(router.verify(target));
    }

    private RouterStatus status() {
        return await(router.status());
    }

    private Map<Colour, Long> requests() {
        RouterStatus status = status();
        Map<Colour, Long> requests = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            requests.put(colour, status.stats(colour).requests());
        }
        return requests;
    }

    private Reply send() {
        return await(get(publicAddress(), "/"));
    }

    /** Sends {@code n} requests one after another and counts the colour that answered each. */
    private Map<String, Integer> colours(int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Reply reply = send();
            assertThat(reply.status()).as("through " + publicAddress() + ": " + reply).isEqualTo(200);
            counts.merge(reply.body(), 1, Integer::sum);
        }
        return counts;
    }

    private void assertSplit(Map<String, Integer> answered, int total, int greenWeight) {
        assertThat(answered.keySet()).as("answered by").isSubsetOf(BLUE.id(), GREEN.id());
        assertThat(answered.getOrDefault(GREEN.id(), 0) + answered.getOrDefault(BLUE.id(), 0)).isEqualTo(total);
        assertThat(answered.getOrDefault(GREEN.id(), 0)).as("green's share of " + answered)
                .isCloseTo(total * greenWeight / 100, within(splitTolerance()));
    }

    /** Once nothing is in flight, the router must have counted exactly the requests each colour answered. */
    private void awaitCounted(Map<String, Integer> answered) {
        await().atMost(Futures.BOUND).until(() -> {
            RouterStatus status = status();
            return status.stats(BLUE).inFlight() == 0 && status.stats(GREEN).inFlight() == 0;
        });
        RouterStatus status = status();
        for (Colour colour : Colour.values()) {
            RouterStatus.ColourStats stats = status.stats(colour);
            assertThat(stats.requests()).as(colour + " requests").isEqualTo(answered.getOrDefault(colour.id(), 0).longValue());
            assertThat(stats.errors()).as(colour + " errors").isZero();
        }
    }
}
