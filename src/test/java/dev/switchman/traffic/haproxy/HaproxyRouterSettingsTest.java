package dev.switchman.traffic.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HaproxyRouterSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theConfigFileSetsTheKeysUnderRouter() throws Exception {
        HaproxyRouterSettings settings = load("""
                  type: haproxy
                  socket: /run/haproxy/switchman.sock
                  backend: app
                  servers:
                    blue: app-blue
                    green: app-green
                """);
        assertThat(settings).isEqualTo(new HaproxyRouterSettings("/run/haproxy/switchman.sock", "app",
                new HaproxyRouterSettings.Servers("app-blue", "app-green"), Duration.ofSeconds(30)));
        assertThat(settings.unixSocket()).isTrue();

        HaproxyRouterSettings tcp = load("  type: haproxy\n  socket: ipv4@127.0.0.1:9999\n  backend: app\n"
                + "  servers: {blue: b, green: g}\n  drainTimeout: 5s\n");
        assertThat(tcp.socket()).isEqualTo("127.0.0.1:9999");
        assertThat(tcp.unixSocket()).isFalse();
        assertThat(tcp.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    static Stream<Arguments> mistakes() {
        String servers = "  servers: {blue: b, green: g}\n";
        return Stream.of(
                Arguments.of("  backend: app\n" + servers, "router.socket is required"),
                Arguments.of("  socket: haproxy.internal\n  backend: app\n" + servers, "router.socket 'haproxy.internal' is neither a path"),
                Arguments.of("  socket: 127.0.0.1:99999\n  backend: app\n" + servers, "router.socket must be a port between 1 and 65535"),
                Arguments.of("  socket: /s\n" + servers, "router.backend is required"),
                Arguments.of("  socket: /s\n  backend: \"app; disable server\"\n" + servers,
                        "router.backend 'app; disable server' is not an HAProxy name"),
                Arguments.of("  socket: /s\n  backend: app\n", "router.servers is required"),
                Arguments.of("  socket: /s\n  backend: app\n  servers: {blue: b}\n", "router.servers.green is required"),
                Arguments.of("  socket: /s\n  backend: app\n  servers: {blue: b, green: b}\n",
                        "router.servers.blue and router.servers.green are both 'b'"),
                Arguments.of("  socket: /s\n  backend: app\n" + servers + "  drainTimeout: 0s\n", "router.drainTimeout must be positive"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeIsNamedByItsKey(String section, String message) {
        assertThatThrownBy(() -> load("  type: haproxy\n" + section))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anUnknownKeyIsNamed() {
        assertThatThrownBy(() -> load("  type: haproxy\n  socket: /s\n  backend: app\n  servers: {blue: b, green: g, red: r}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.servers.red");
    }

    private HaproxyRouterSettings load(String router) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n" + router);
        return Kinds.loadConfig(file).config().router().settings(HaproxyRouterSettings.class);
    }
}
