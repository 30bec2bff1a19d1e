package dev.switchman.traffic.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.Kinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code router.type: nginx} is found by its name and reads its keys, its mistakes named with their line. */
class NginxRouterConfigTest {
    @TempDir
    Path dir;

    @Test
    void theKindReadsItsKeys() throws IOException {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, """
                application: shop
                platform:
                  command: [x]
                router:
                  type: nginx
                  include: /etc/nginx/switchman/shop.conf
                  weightsFile: /var/lib/switchman/shop.weights
                  reloadCommand: [systemctl, reload, nginx]
                  drainTime: 30s
                """);
        LoadedConfig loaded = Kinds.loadConfig(file);
        NginxRouterSettings settings = loaded.config().router().settings(NginxRouterSettings.class);
        assertThat(settings.reloadCommand()).containsExactly("systemctl", "reload", "nginx");
        assertThat(settings.testCommand()).containsExactly("nginx", "-t");
        assertThat(settings.drainTime()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMistakeNamesTheKeyAndTheFile() throws IOException {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  type: nginx\n  weightsFile: w.json\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.include").hasMessageContaining(file.toString());
    }
}
