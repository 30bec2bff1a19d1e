package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The router process sends requests through its own proxy path before it takes traffic, and counts none of them. */
class BuiltinRouterWarmupTest extends RouterTestSupport {

    @Test
    void aWarmedRouterSentRequestsThroughItsProxyPathAndItsCountersShowNone() {
        // Long enough for a first request on a cold JVM: it ends sooner, at its count of requests.
        BuiltinRouterSettings settings = RouterUnderTest.settings().withWarmup(Duration.ofSeconds(20));
        BuiltinRouterServer server = await(BuiltinRouterServer.start(vertx, settings, stateDir, true));
        try {
            Warmup.Result warmed = server.warmed();
            assertThat(warmed.answered()).as("requests answered through the proxy path").isPositive();
            assertThat(warmed.answered()).isLessThanOrEqualTo(warmed.requests()).isLessThanOrEqualTo(Warmup.REQUESTS);
            assertThat(server.status().stats(BLUE).requests()).isZero();
            assertThat(server.status().stats(GREEN).requests()).isZero();
            assertThat(server.target()).as("no target of its own").isNull();
        } finally {
            await(server.close());
        }
    }

    @Test
    void aRouterStartedInAJvmOfItsOwnOnlyIsWarmedAndAZeroWarmupSkipsIt() {
        BuiltinRouterServer inProcess = await(BuiltinRouterServer.start(vertx, RouterUnderTest.settings(), stateDir));
        BuiltinRouterServer none = await(BuiltinRouterServer.start(vertx,
                RouterUnderTest.settings().withWarmup(Duration.ZERO), stateDir.resolve("none"), true));
        try {
            assertThat(inProcess.warmed().requests()).isZero();
            assertThat(none.warmed().requests()).isZero();
        } finally {
            await(inProcess.close());
            await(none.close());
        }
    }
}
