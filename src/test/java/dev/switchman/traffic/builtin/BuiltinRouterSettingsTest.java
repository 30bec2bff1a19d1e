package dev.switchman.traffic.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltinRouterSettingsTest {

    @Test
    void noProxyIsTrustedByDefault() {
        assertThat(BuiltinRouterSettings.defaults().trustedProxies()).isEmpty();
        assertThat(new BuiltinRouterSettings(null, null, null, null).trustedProxies()).isEmpty();
    }

    @Test
    void trustedProxiesAreAddressesAndCidrBlocks() {
        List<String> entries = List.of("127.0.0.1", "10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "::1", "fd00::/8",
                "2001:db8::/32", " 172.16.0.0/12 ");
        assertThat(settings(entries).trustedProxies()).hasSize(entries.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300", "10.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
            "proxy.internal", "localhost", "", "fd00::/129", "fd00::zz", "1.2.3.4/ 8", "01.2.3.4x"})
    void aBadEntryIsRefusedNamingTheKeyAndTheEntry(String entry) {
        assertThatThrownBy(() -> settings(List.of("127.0.0.1", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("router.trustedProxies")
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void anEmptyEntryIsRefused() {
        assertThatThrownBy(() -> settings(Arrays.asList("127.0.0.1", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("router.trustedProxies");
    }

    @Test
    void theConfigFileSetsThemAndNamesABadOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  trustedProxies: [10.0.0.0/8, \"::1\"]\n");
        BuiltinRouterSettings loaded = Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class);
        assertThat(loaded.trustedProxies()).containsExactly("10.0.0.0/8", "::1");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  trustedProxies: [lb.internal]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.trustedProxies").hasMessageContaining("'lb.internal'");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\n");
        assertThat(Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).trustedProxies()).isEmpty();
    }

    @Test
    void theWarmupHealthPathAndMetricsAddressAreReadAndChecked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        String head = "application: shop\nplatform:\n  command: [x]\nrouter:\n";
        BuiltinRouterSettings defaults = BuiltinRouterSettings.defaults();
        assertThat(defaults.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.healthPath()).isEqualTo("/__switchman/health");
        assertThat(defaults.metricsPort()).isNull();
        assertThat(defaults.localPorts()).doesNotContainKey("router.metricsPort");

        Files.writeString(file, head + "  warmup: 0s\n  healthPath: /lb-check\n  metricsPort: 9464\n");
        BuiltinRouterSettings loaded = Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class);
        assertThat(loaded.warmup()).isZero();
        assertThat(loaded.healthPath()).isEqualTo("/lb-check");
        assertThat(loaded.metricsPort()).isEqualTo(9464);
        assertThat(loaded.metricsHost()).as("router.host by default").isEqualTo("0.0.0.0");
        assertThat(loaded.localPorts()).containsEntry("router.metricsPort", 9464);

        for (String bad : List.of("  healthPath: lb-check\n", "  metricsPort: 8080\n", "  metricsHost: 10.0.0.1\n",
                "  warmup: -1s\n", "  metricsPort: 70000\n")) {
            Files.writeString(file, head + bad);
            String key = bad.strip().substring(0, bad.strip().indexOf(':'));
            assertThatThrownBy(() -> Kinds.loadConfig(file)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("router." + key);
        }
        Files.writeString(file, head + "  metricPort: 9464\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metricPort");
    }

    @Test
    void stickySessionsAreOffByDefaultAndTheirCookieIsChecked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        String head = "application: shop\nplatform:\n  command: [x]\nrouter:\n";
        assertThat(BuiltinRouterSettings.defaults().sticky()).isNull();

        Files.writeString(file, head + "  sticky: {}\n");
        StickySessions sticky = Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).sticky();
        assertThat(sticky.cookie()).isEqualTo("switchman-colour");
        assertThat(sticky.maxAge()).as("a session cookie").isNull();

        Files.writeString(file, head + "  sticky:\n    cookie: shop-colour\n    maxAge: 1h\n");
        sticky = Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).sticky();
        assertThat(sticky.cookie()).isEqualTo("shop-colour");
        assertThat(sticky.maxAge()).isEqualTo(Duration.ofHours(1));

        for (String bad : List.of("    cookie: \"a b\"\n", "    cookie: \"a;b\"\n", "    maxAge: 500ms\n", "    maxAge: 0s\n")) {
            Files.writeString(file, head + "  sticky:\n" + bad);
            String key = bad.strip().substring(0, bad.strip().indexOf(':'));
            assertThatThrownBy(() -> Kinds.loadConfig(file)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("router.sticky." + key);
        }
        Files.writeString(file, head + "  sticky:\n    name: x\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class).hasMessageContaining("name");
    }

    @Test
    void tlsNeedsACertificateAndAKeyThatAreFilesRelativeToTheConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        String head = "application: shop\nplatform:\n  command: [x]\nrouter:\n  tls:\n";
        assertThat(BuiltinRouterSettings.defaults().tls()).as("plain HTTP by default").isNull();
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(dir.resolve("tls/key.pem"), "-----BEGIN PRIVATE KEY-----\n");

        Files.writeString(file, head + "    certificate: tls/cert.pem\n    key: " + dir.resolve("tls/key.pem") + "\n");
        RouterTls tls = Kinds.loadConfig(file).config().router().settings(BuiltinRouterSettings.class).tls();
        assertThat(tls.certificate()).as("taken from the config file's directory").isEqualTo(dir.resolve("tls/cert.pem").toString());
        assertThat(tls.key()).isEqualTo(dir.resolve("tls/key.pem").toString());

        Files.writeString(file, head + "    certificate: tls/cert.pem\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.tls.key is required with router.tls.certificate");
        Files.writeString(file, head + "    key: tls/key.pem\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.tls.certificate is required with router.tls.key");
        Files.writeString(file, head + "    certificate: tls/cert.pem\n    key: tls/missing.pem\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.tls.key: " + dir.resolve("tls/missing.pem") + " does not exist")
                .hasMessageContaining("fix router.tls.key");
        Files.writeString(file, head + "    certificate: tls\n    key: tls/key.pem\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.tls.certificate: " + dir.resolve("tls") + " is not a file");
        assertThatThrownBy(() -> new RouterTls("/nowhere/cert.pem", dir.resolve("tls/key.pem").toString()))
                .as("an absolute path is checked when the settings are built")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("router.tls.certificate: /nowhere/cert.pem");
    }

    private static BuiltinRouterSettings settings(List<String> trustedProxies) {
        return new BuiltinRouterSettings(null, null, null, Duration.ofSeconds(1), trustedProxies);
    }
}
