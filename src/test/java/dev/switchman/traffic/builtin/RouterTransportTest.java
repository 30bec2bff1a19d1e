package dev.switchman.traffic.builtin;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchman.config.ConfigException;
import dev.switchman.model.Colour;
import dev.switchman.spi.Kinds;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code router.transport}: the public port proxies alike on each transport this machine has, and auto takes the best. */
class RouterTransportTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(names = {"IO_URING", "EPOLL", "NIO"})
    void thePublicPortProxiesPipelinedRequestsWithBodiesOnEachTransport(RouterTransport asked) throws Exception {
        Transport transport = switch (asked) {
            case IO_URING -> Transport.IO_URING;
            case EPOLL -> Transport.EPOLL;
            default -> Transport.NIO;
        };
        assumeTrue(transport.available(), () -> asked.word() + " cannot run on this machine: " + transport.unavailabilityCause());
        Vertx vertx = RouterTransport.vertxOn(asked.pick());
        RouterUnderTest router = RouterUnderTest.start(vertx, dir);
        try {
            await(router.admin.setWeights(TrafficTarget.split(Colour.BLUE, List.of(router.blue.endpoint()),
                    List.of(router.green.endpoint()), 0)));
            try (Socket socket = Wire.open(router.config.port())) {
                Wire.send(socket, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                        + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                        + "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                String all = Wire.readToEnd(socket);
                assertThat(all.split("HTTP/1.1 200", -1)).hasSize(5);
                assertThat(all).contains("\r\n\r\nblue:5").contains("\r\n\r\nblue:3").endsWith("\r\n\r\nblue");
            }
        } finally {
            router.close();
            await(vertx.close());
        }
    }

    @Test
    void autoTakesIoUringWhereTheKernelAllowsItThenEpollThenNio() {
        Transport best = Transport.IO_URING.available() ? Transport.IO_URING
                : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
        assertThat(RouterTransport.AUTO.pick()).isSameAs(best);
        assertThat(RouterTransport.AUTO.describe(best)).startsWith(best.name().toLowerCase());
        assertThat(RouterTransport.AUTO.describe(Transport.NIO)).startsWith("nio (io_uring: ").contains("; epoll: ");
    }

    @Test
    void theConfigNamesItAndAnUnknownOneIsRefusedNamingTheKeyAndTheChoices() throws Exception {
        Path file = dir.resolve("switchman.yaml");
        String head = "application: shop\nplatform:\n  command: [x]\nrouter:\n";
        Files.writeString(file, head + "  transport: epoll\n");
        assertThat(Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).transport())
                .isEqualTo(RouterTransport.EPOLL);
        Files.writeString(file, head + "  port: 8080\n");
        assertThat(Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).transport())
                .isEqualTo(RouterTransport.AUTO);
        Files.writeString(file, head + "  transport: kqueue\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.transport must be auto, io_uring, epoll or nio, got 'kqueue'");
    }
}
