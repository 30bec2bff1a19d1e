package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.model.Colour;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HTTPS on the public port from PEM files made by openssl: requests are routed over TLS, the health path answers
 * over it, a plain-HTTP request to that port is not routed, and files that are no certificate stop the router
 * before it binds anything, naming them.
 */
class BuiltinRouterTlsTest extends RouterTestSupport {

    @Test
    void requestsAreRoutedOverHttpsAndPlainHttpIsNot() throws Exception {
        RouterTls tls = selfSigned();
        RouterUnderTest router = RouterUnderTest.start(vertx, stateDir, RouterUnderTest.settings().withTls(tls));
        HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        try {
            await(router.admin.setWeights(TrafficTarget.split(Colour.BLUE, List.of(router.blue.endpoint()),
                    List.of(router.green.endpoint()), 50)));
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(await(https.request(get(router, "/")).compose(HttpClientRequest::send)
                        .compose(r -> r.body().map(b -> r.statusCode() + " " + b))));
            }
            assertThat(seen).containsExactlyInAnyOrder("200 blue", "200 green");
            String health = await(https.request(get(router, BuiltinRouterSettings.DEFAULT_HEALTH_PATH))
                    .compose(HttpClientRequest::send).compose(r -> r.body().map(b -> r.statusCode() + " " + b)));
            assertThat(health).isEqualTo("200 ok\n");

            int servedBefore = router.blue.served() + router.green.served();
            assertThatThrownBy(() -> await(router.get("/"))).as("plain HTTP on the TLS port");
            assertThat(router.blue.served() + router.green.served()).isEqualTo(servedBefore);
        } finally {
            await(https.close());
            router.close();
        }
    }

    @Test
    void filesThatAreNoCertificateStopTheRouterNamingThem() throws Exception {
        Path cert = Files.writeString(stateDir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(stateDir.resolve("key.pem"), "not a key\n");
        BuiltinRouterSettings config = RouterUnderTest.settings().withTls(new RouterTls(cert.toString(), key.toString()));

        assertThatThrownBy(() -> await(BuiltinRouterServer.start(vertx, config, stateDir.resolve("state"))))
                .hasMessageContaining("router.tls: cannot serve HTTPS with router.tls.certificate " + cert);
    }

    private static RequestOptions get(RouterUnderTest router, String path) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(router.config.port()).setURI(path);
    }

    private RouterTls selfSigned() throws Exception {
        Path cert = stateDir.resolve("cert.pem");
        Path key = stateDir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(stateDir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(stateDir.resolve("openssl.log"))).isZero();
        return new RouterTls(cert.toString(), key.toString());
    }
}
