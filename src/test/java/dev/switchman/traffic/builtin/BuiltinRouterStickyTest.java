package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code router.sticky}: a client that keeps the router's cookie stays on one colour while it has weight, through a
 * progressive shift, and is moved when its colour goes to weight 0; without the setting no cookie is set.
 */
class BuiltinRouterStickyTest extends RouterTestSupport {

    private static final String COOKIE = "switchman-colour";

    private RouterUnderTest router;
    private Replica secondBlue;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        if (secondBlue != null) {
            secondBlue.kill();
        }
    }

    @Test
    void aClientThatKeepsTheCookieStaysOnOneColourWhileOneWithoutSeesBoth() {
        router = sticky(null);
        secondBlue = Replica.start(vertx, "blue-2");
        await(router.admin.setWeights(new TrafficTarget(Map.of(
                BLUE, new TrafficTarget.Backend(List.of(router.blue.endpoint(), secondBlue.endpoint()), 50),
                GREEN, new TrafficTarget.Backend(List.of(router.green.endpoint()), 50)))));

        Map<String, Integer> keeping = new HashMap<>();
        String cookie = null;
        for (int i = 0; i < 50; i++) {
            RouterUnderTest.Reply reply = await(router.get("/", cookie == null ? headers() : headers(COOKIE + "=" + cookie)));
            assertThat(reply.status()).isEqualTo(200);
            keeping.merge(reply.body(), 1, Integer::sum);
            String set = reply.headers().get("Set-Cookie");
            if (cookie == null) {
                assertThat(set).as("the first response names the colour").startsWith(COOKIE + "=")
                        .contains("Path=/").containsIgnoringCase("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
                cookie = set.substring(COOKIE.length() + 1, set.indexOf(';'));
            } else {
                assertThat(set).as("the cookie names the colour already").isNull();
            }
        }
        Set<String> colour = cookie.equals("blue") ? Set.of("blue", "blue-2") : Set.of("green");
        assertThat(keeping.keySet()).as("answered the client keeping '" + cookie + "'").isSubsetOf(colour);
        if (cookie.equals("blue")) {
            assertThat(keeping.keySet()).as("any endpoint of its colour").containsExactlyInAnyOrder("blue", "blue-2");
        }

        Map<String, Integer> without = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            RouterUnderTest.Reply reply = await(router.get("/"));
            without.merge(reply.body(), 1, Integer::sum);
            assertThat(reply.headers().get("Set-Cookie")).startsWith(COOKIE + "=" + colourOf(reply.body()).id() + ";");
        }
        assertThat(without.getOrDefault("green", 0)).as("the weights decide without a cookie: " + without).isEqualTo(25);

        // Counted per colour, sticky or not.
        int blueAnswered = keeping.getOrDefault("blue", 0) + keeping.getOrDefault("blue-2", 0)
                + without.getOrDefault("blue", 0) + without.getOrDefault("blue-2", 0);
        assertThat(router.stats(BLUE).requests()).isEqualTo(blueAnswered);
        assertThat(router.stats(GREEN).requests()).isEqualTo(100 - blueAnswered);
    }

    @Test
    void aCookieForAColourAtWeightZeroOrForNoColourGoesByTheWeightsAndIsRewritten() {
        router = sticky(Duration.ofHours(1));
        await(router.admin.setWeights(split(50)));
        RouterUnderTest.Reply onGreen = await(router.get("/", headers(COOKIE + "=green")));
        assertThat(onGreen.body()).isEqualTo("green");
        assertThat(onGreen.headers().get("Set-Cookie")).isNull();

        // The shift goes on: the client stays.
        await(router.admin.setWeights(split(10)));
        for (int i = 0; i < 5; i++) {
            assertThat(await(router.get("/", headers("other=1; " + COOKIE + "=green"))).body()).isEqualTo("green");
        }

        // A rollback: green gets no more requests, its clients move, their cookie with them.
        await(router.admin.setWeights(split(0)));
        RouterUnderTest.Reply moved = await(router.get("/", headers(COOKIE + "=green")));
        assertThat(moved.body()).isEqualTo("blue");
        assertThat(moved.headers().get("Set-Cookie")).startsWith(COOKIE + "=blue;").contains("Max-Age=3600");

        for (String garbage : List.of("purple", "", "BLUE")) {
            RouterUnderTest.Reply rewritten = await(router.get("/", headers(COOKIE + "=" + garbage)));
            assertThat(rewritten.body()).isEqualTo("blue");
            assertThat(rewritten.headers().get("Set-Cookie")).as(garbage).startsWith(COOKIE + "=blue;");
        }
    }

    @Test
    void offByDefault() {
        router = RouterUnderTest.start(vertx, stateDir);
        assertThat(router.config.sticky()).isNull();
        await(router.admin.setWeights(split(50)));
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            RouterUnderTest.Reply reply = await(router.get("/", headers(COOKIE + "=green")));
            assertThat(reply.headers().get("Set-Cookie")).isNull();
            answered.merge(reply.body(), 1, Integer::sum);
        }
        assertThat(answered).as("the cookie means nothing").containsEntry("blue", 2).containsEntry("green", 2);
    }

    private RouterUnderTest sticky(Duration maxAge) {
        return RouterUnderTest.start(vertx, stateDir, RouterUnderTest.settings().withSticky(new StickySessions(null, maxAge)));
    }

    private TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(BLUE, List.of(router.blue.endpoint()), List.of(router.green.endpoint()), greenWeight);
    }

    private static Colour colourOf(String body) {
        return body.startsWith("blue") ? BLUE : GREEN;
    }

    private static MultiMap headers(String... cookie) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String c : cookie) {
            headers.add("Cookie", c);
        }
        return headers;
    }
}
