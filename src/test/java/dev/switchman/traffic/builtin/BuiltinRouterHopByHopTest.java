package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hop-by-hop headers (RFC 9110 section 7.6.1) belong to one connection: the router passes on neither way. */
class BuiltinRouterHopByHopTest extends RouterTestSupport {

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
    void theClientsHopByHopHeadersDoNotReachTheUpstream() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "keep-alive, X-Client-Hop")
                .add("X-Client-Hop", "for the router only")
                .add("Proxy-Connection", "keep-alive")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Authorization", "Basic cm91dGVyOnNlY3JldA==")
                .add("TE", "trailers")
                .add("Upgrade", "example/1")
                .add("X-End-To-End", "kept");
        RouterUnderTest.Reply reply = await(router.get("/headers", headers));
        assertThat(reply.status()).isEqualTo(200);

        JsonObject seen = new JsonObject(reply.body());
        assertThat(seen.fieldNames())
                .as("headers the upstream received")
                .doesNotContain("x-client-hop", "proxy-connection", "keep-alive", "proxy-authorization", "te", "upgrade")
                .contains("x-end-to-end");
        assertThat(seen.getJsonArray("connection", new JsonArray()).encode())
                .doesNotContainIgnoringCase("x-client-hop");
    }

    @Test
    void theUpstreamsHopByHopHeadersDoNotReachTheClient() {
        RouterUnderTest.Reply reply = await(router.get("/hop-by-hop"));
        assertThat(reply.status()).isEqualTo(200);

        assertThat(reply.headers().names().stream().map(String::toLowerCase).toList())
                .as("headers the client received")
                .doesNotContain("x-upstream-hop", "proxy-connection", "keep-alive", "proxy-authenticate")
                .contains("x-end-to-end");
        assertThat(String.valueOf(reply.headers().get("Connection"))).doesNotContainIgnoringCase("x-upstream-hop");
    }
}
