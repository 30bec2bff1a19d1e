package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the application learns of the client: the forwarded headers of a client are replaced with what the router
 * saw, so no client can pass for another address; those of a trusted proxy in front are kept and added to.
 */
class BuiltinRouterForwardedTest extends RouterTestSupport {

    private RouterUnderTest router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void anUntrustedClientsForwardedHeadersAreReplacedWithWhatTheRouterSaw() {
        start(RouterUnderTest.settings());
        JsonObject seen = upstreamSaw(spoofed());
        String host = "127.0.0.1:" + router.config.port();

        assertThat(values(seen, "x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(values(seen, "x-real-ip")).containsExactly("127.0.0.1");
        assertThat(values(seen, "x-forwarded-proto")).containsExactly("http");
        assertThat(values(seen, "x-forwarded-host")).containsExactly(host);
        assertThat(values(seen, "forwarded")).containsExactly("for=127.0.0.1;host=\"" + host + "\";proto=http");
        assertThat(values(seen, "x-forwarded-port")).isEmpty();
    }

    @Test
    void aTrustedProxysForwardedHeadersAreKeptAndTheRouterAddsItsPeer() {
        BuiltinRouterSettings base = RouterUnderTest.settings();
        start(new BuiltinRouterSettings(base.host(), base.port(), base.adminPort(), base.drainTimeout(),
                List.of("10.0.0.0/8", "127.0.0.1")));
        JsonObject seen = upstreamSaw(spoofed());
        String host = "127.0.0.1:" + router.config.port();

        assertThat(values(seen, "x-forwarded-for")).containsExactly("203.0.113.7, 127.0.0.1");
        assertThat(values(seen, "x-real-ip")).containsExactly("203.0.113.7");
        assertThat(values(seen, "x-forwarded-proto")).containsExactly("https");
        assertThat(values(seen, "x-forwarded-host")).containsExactly("shop.example");
        assertThat(values(seen, "x-forwarded-port")).containsExactly("443");
        assertThat(values(seen, "forwarded"))
                .containsExactly("for=203.0.113.7;proto=https, for=127.0.0.1;host=\"" + host + "\";proto=http");

        // a trusted proxy that sent none gets what the router saw
        JsonObject plain = upstreamSaw(MultiMap.caseInsensitiveMultiMap());
        assertThat(values(plain, "x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(values(plain, "x-real-ip")).containsExactly("127.0.0.1");
        assertThat(values(plain, "x-forwarded-proto")).containsExactly("http");
        assertThat(values(plain, "x-forwarded-host")).containsExactly(host);
    }

    private void start(BuiltinRouterSettings settings) {
        router = RouterUnderTest.start(vertx, stateDir, settings);
        await(router.admin.setWeights(TrafficTarget.split(BLUE, List.of(router.blue.endpoint()),
                List.of(router.green.endpoint()), 0)));
    }

    /** What a client claiming to be 203.0.113.7 on https://shop.example sends. */
    private static MultiMap spoofed() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-For", "203.0.113.7")
                .add("X-Real-IP", "203.0.113.7")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "shop.example")
                .add("X-Forwarded-Port", "443")
                .add("Forwarded", "for=203.0.113.7;proto=https");
    }

    private JsonObject upstreamSaw(MultiMap headers) {
        RouterUnderTest.Reply reply = await(router.get("/headers", headers));
        assertThat(reply.status()).isEqualTo(200);
        return new JsonObject(reply.body());
    }

    private static List<Object> values(JsonObject seen, String header) {
        return seen.getJsonArray(header, new JsonArray()).getList();
    }
}
