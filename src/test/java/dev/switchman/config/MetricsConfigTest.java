package dev.switchman.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsConfigTest {
    private static final String BASE = "application: shop\nplatform:\n  command: [x]\n";

    @Test
    void theMetricsSectionIsCheckedWhenTheConfigLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, BASE);
        assertThat(Kinds.loadConfig(file).config().metrics()).as("no section, no export").isNull();

        Files.writeString(file, BASE + "metrics:\n  pushgateway: http://pushgateway:9091/\n  textfile: node/switchman.prom\n");
        MetricsConfig both = Kinds.loadConfig(file).config().metrics();
        assertThat(both.pushgateway()).isEqualTo("http://pushgateway:9091");
        assertThat(both.textfile()).isEqualTo("node/switchman.prom");
        assertThat(both.timeout()).isEqualTo(Duration.ofSeconds(5));

        Files.writeString(file, BASE + "metrics:\n  textfile: /var/lib/node/switchman-shop.prom\n  timeout: 2s\n");
        assertThat(Kinds.loadConfig(file).config().metrics().timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void mistakesNameTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, BASE + "metrics:\n  timeout: 2s\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("needs pushgateway").hasMessageContaining("textfile");

        Files.writeString(file, BASE + "metrics:\n  textfile: a.prom\n  pushgatway: http://p:9091\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("unknown key 'metrics.pushgatway' (line 6)")
                .hasMessageContaining("pushgateway, textfile, timeout");

        Files.writeString(file, BASE + "metrics:\n  pushgateway: pushgateway:9091\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("metrics.pushgateway must be the Pushgateway's base URL");

        Files.writeString(file, BASE + "metrics:\n  pushgateway: http://ops:s3cret@p:9091\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("metrics.pushgateway holds credentials")
                .hasMessageNotContaining("s3cret");

        Files.writeString(file, BASE + "metrics:\n  textfile: /var/lib/node/switchman.txt\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("metrics.textfile must name a file ending in .prom");

        Files.writeString(file, BASE + "metrics:\n  textfile: a.prom\n  timeout: 0s\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("metrics.timeout must be positive");
    }
}
