package dev.switchman.traffic.haproxy;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.support.Futures;
import dev.switchman.traffic.LoadLoop;
import dev.switchman.traffic.TrafficTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Switches through a real HAProxy while keep-alive GET and POST load runs: not one request may fail. */
class HaproxyRouterUnderLoadTest {
    private static final int CLIENTS = 8;
    /** Requests answered between two switches, so each switch happens with requests in flight. */
    private static final int BETWEEN = 40;

    @TempDir
    Path dir;

    private HaproxyStack stack;
    private LoadLoop load;

    @BeforeEach
    void start() {
        stack = new HaproxyStack(dir, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (load != null) {
            load.stop();
            await().atMost(Futures.BOUND).until(load::stopped);
            load.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twentySwitchesBackAndForthFailNoRequest() {
        await(stack.router.setWeights(stack.split(0)));
        load = LoadLoop.start(stack.vertx, stack.publicAddress(), CLIENTS);
        awaitAnswered(BETWEEN);

        long switching = 0;
        for (int i = 1; i <= 20; i++) {
            TrafficTarget target = stack.split(i % 2 == 1 ? 100 : 0);
            long start = System.nanoTime();
            await(stack.router.setWeights(target));
            switching += System.nanoTime() - start;
            assertThat(await(stack.router.verify(target))).as("switch " + i + " applied").isTrue();
            awaitAnswered(BETWEEN);
        }
        load.stop();
        await().atMost(Futures.BOUND).until(load::stopped);

        System.out.printf("haproxy: 20 switches under %d keep-alive clients: %d requests (blue %d, green %d), %d failed, "
                + "mean setWeights %.1f ms%n", CLIENTS, load.done(), load.answeredBy("blue"), load.answeredBy("green"),
                load.failures().size(), switching / 20 / 1e6);
        assertThat(load.failures()).as("failed requests of " + load.done()).isEmpty();
        assertThat(load.answeredBy("blue")).isGreaterThan(BETWEEN);
        assertThat(load.answeredBy("green")).isGreaterThan(BETWEEN);
    }

    @Test
    void allBackToOneColourMidShiftFailsNoRequest() {
        await(stack.router.setWeights(stack.split(0)));
        load = LoadLoop.start(stack.vertx, stack.publicAddress(), CLIENTS);
        awaitAnswered(BETWEEN);
        await(stack.router.setWeights(stack.split(50)));
        awaitAnswered(BETWEEN);
        int greenBefore = load.answeredBy("green");
        assertThat(greenBefore).as("green took part of the shift").isPositive();

        TrafficTarget rollback = TrafficTarget.all(BLUE, List.of(stack.blue.endpoint()), List.of(stack.green.endpoint()));
        await(stack.router.setWeights(rollback));
        assertThat(await(stack.router.verify(rollback))).isTrue();
        await(stack.router.drain(GREEN));
        int greenAfterDrain = stack.green.served();
        awaitAnswered(BETWEEN * 2);
        load.stop();
        await().atMost(Futures.BOUND).until(load::stopped);

        assertThat(load.failures()).as("failed requests of " + load.done()).isEmpty();
        assertThat(stack.green.served()).as("requests to green once drained").isEqualTo(greenAfterDrain);
    }

    /** Waits until {@code n} more requests were answered or failed. */
    private void awaitAnswered(int n) {
        int target = load.done() + n;
        await().atMost(Futures.BOUND).until(() -> load.done() >= target);
    }
}
