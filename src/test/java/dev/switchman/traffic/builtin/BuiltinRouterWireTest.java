package dev.switchman.traffic.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the public port does on the wire itself, seen from a raw socket: requests pipelined on one connection
 * answered in order, a Connection: close honoured, HTTP/1.0 clients kept alive only when they ask, and sent a
 * response the upstream streamed in chunks whole, with its length.
 */
class BuiltinRouterWireTest extends RouterTestSupport {

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
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseEndsTheConnection() throws Exception {
        try (Socket socket = open()) {
            Wire.send(socket, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
                    + "GET /status/404 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = Wire.readToEnd(socket); // the router closes the connection after the last one

            int first = all.indexOf("HTTP/1.1 200");
            int second = all.indexOf("HTTP/1.1 200", first + 1);
            int third = all.indexOf("HTTP/1.1 200", second + 1);
            int fourth = all.indexOf("HTTP/1.1 404");
            assertThat(first).isZero();
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            assertThat(fourth).isGreaterThan(third);
            assertThat(all.substring(first, second)).endsWith("\r\n\r\nblue");
            assertThat(all.substring(second, third)).endsWith("\r\n\r\nblue:5");
            assertThat(all.substring(third, fourth)).endsWith("\r\n\r\nblue:7");
            assertThat(all.substring(fourth).toLowerCase()).contains("connection: close").endsWith("\r\n\r\nblue");
        }
    }

    @Test
    void anHttp10ClientGetsAStreamedResponseWholeWithItsLengthAndTheConnectionClosed() throws Exception {
        try (Socket socket = open()) {
            Wire.send(socket, "GET /stream HTTP/1.0\r\n\r\n");
            await().until(() -> router.blue.heldCount() == 1);
            router.blue.releaseSlow();
            String all = Wire.readToEnd(socket);

            String head = all.substring(0, all.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).startsWith("http/1.1 200").contains("content-length: 14").contains("connection: close")
                    .doesNotContain("transfer-encoding");
            assertThat(all).endsWith("\r\n\r\nblue:start:end");
        }
    }

    @Test
    void anHttp10ClientThatAsksForKeepAliveKeepsItsConnection() throws Exception {
        try (Socket socket = open()) {
            for (int i = 0; i < 2; i++) {
                Wire.send(socket, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                String head = Wire.readHead(socket.getInputStream()).toLowerCase();
                assertThat(head).startsWith("http/1.1 200").contains("connection: keep-alive").contains("content-length: 4");
                assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("blue");
            }
        }
    }

    private Socket open() throws IOException {
        return Wire.open(router.config.port());
    }
}
