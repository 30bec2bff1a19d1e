package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's pause, through its admin API: requests that arrive while it holds reach no upstream, and go on,
 * bodies whole, to the colour the weights name when it resumes; a pause the coordinator never ends ends by itself at
 * its bound, answering 503 with Retry-After; the pause answers once the requests in flight have ended.
 */
class BuiltinRouterPauseTest extends RouterTestSupport {

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
    void heldRequestsReachNoUpstreamAndGoOnAtResumeToTheColourOfThatMoment() {
        await(router.admin.pause(Duration.ofSeconds(20)));
        List<Future<RouterUnderTest.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(i % 2 == 0 ? router.get("/") : router.post("/", Buffer.buffer("x".repeat(100_000)), i % 4 == 1));
        }
        await().until(() -> router.status().getBoolean("paused") && heldNow() == 10);
        assertThat(router.blue.served() + router.green.served()).as("nothing reached an upstream").isZero();
        assertThat(replies).noneMatch(Future::isComplete);

        // The weights change while the requests wait: they go where the weights say when the pause ends.
        await(router.admin.setWeights(TrafficTarget.split(GREEN, List.of(router.green.endpoint()),
                List.of(router.blue.endpoint()), 0)));
        await(router.admin.resume());

        for (int i = 0; i < replies.size(); i++) {
            RouterUnderTest.Reply reply = await(replies.get(i));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(i % 2 == 0 ? "green" : "green:100000");
        }
        assertThat(router.blue.served()).isZero();
        assertThat(router.status().getBoolean("paused")).isFalse();
        assertThat(await(router.get("/")).body()).as("not held once resumed").isEqualTo("green");
    }

    @Test
    void aPauseNobodyEndsEndsAtItsBoundWith503AndRetryAfter() {
        await(router.admin.pause(Duration.ofMillis(400)));
        Future<RouterUnderTest.Reply> held = router.get("/");
        RouterUnderTest.Reply reply = await(held);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers().get("Retry-After")).isEqualTo("1");
        assertThat(router.blue.served()).isZero();
        assertThat(await(router.get("/")).status()).as("the pause is over").isEqualTo(200);
        assertThat(router.status().getBoolean("paused")).isFalse();
    }

    @Test
    void thePauseAnswersOnceTheRequestsInFlightHaveEnded() {
        Future<RouterUnderTest.Reply> slow = router.get("/slow");
        await().until(() -> router.blue.heldCount() == 1);

        Future<Void> paused = router.admin.pause(Duration.ofSeconds(20));
        // The pause is on before the next request is sent, which it must then hold.
        await().until(() -> router.status().getBoolean("paused"));
        Future<RouterUnderTest.Reply> arriving = router.get("/");
        await().until(() -> heldNow() == 1);
        assertThat(paused.isComplete()).as("a request is still in flight").isFalse();

        router.blue.releaseSlow();
        await(paused);
        assertThat(await(slow).body()).isEqualTo("blue:slow");
        assertThat(arriving.isComplete()).as("still held").isFalse();
        await(router.admin.resume());
        assertThat(await(arriving).body()).isEqualTo("blue");
    }

    @Test
    void theHealthPathIsNotHeld() {
        await(router.admin.pause(Duration.ofSeconds(20)));
        RouterUnderTest.Reply health = await(router.get(BuiltinRouterSettings.DEFAULT_HEALTH_PATH));
        assertThat(health.status()).isEqualTo(200);
        await(router.admin.resume());
    }

    @Test
    void aResumeWithoutAPauseChangesNothingAndABadBoundIsRefused() {
        await(router.admin.resume());
        assertThat(await(router.get("/")).body()).isEqualTo("blue");
        Throwable refused = awaitFailure(router.admin.pause(Duration.ofMinutes(5)));
        assertThat(refused).hasMessageContaining("boundMs must be a number of milliseconds from 1 to 60000");
        assertThat(router.status().getBoolean("paused")).isFalse();
    }

    private int heldNow() {
        return router.status().getInteger("held");
    }

    private static Throwable awaitFailure(Future<?> future) {
        try {
            await(future);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
