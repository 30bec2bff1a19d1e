package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Colour;
import dev.switchman.support.Futures;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of one router concern share: one Vert.x for the class, a state directory per test. */
abstract class RouterTestSupport {
    protected static Vertx vertx;

    @TempDir
    protected Path stateDir;

    @BeforeAll
    static void startVertx() {
        vertx = RouterTransport.vertxOn(RouterTransport.AUTO.pick()); // what the router process runs on
        Awaitility.setDefaultTimeout(Futures.BOUND);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    /** A router with both colours' upstreams, all traffic on blue and green listed at weight 0. */
    protected RouterUnderTest startedOnBlue() {
        RouterUnderTest router = RouterUnderTest.start(vertx, stateDir);
        await(router.admin.setWeights(TrafficTarget.split(Colour.BLUE, List.of(router.blue.endpoint()),
                List.of(router.green.endpoint()), 0)));
        return router;
    }
}
