package dev.switchman.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.health.prometheus.Condition;
import dev.switchman.health.prometheus.PrometheusMetricSettings;
import dev.switchman.health.webhook.WebhookSettings;
import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A strategy listing prometheus and webhook metrics, read through the loader; its mistakes name the file and the key. */
class MetricKindsLoaderTest {
    private static final String CONFIG = "application: shop\nplatform:\n  command: [x]\nstrategy: strategy.yaml\n";
    private static final String HEAD = "name: judged\nsteps:\n  - shift: 25\n  - analyse: 30s\n  - shift: 100\nanalysis:\n  metrics:\n";
    private static final String PROMETHEUS = """
                - type: prometheus
                  url: http://prometheus.internal:9090
                  query: sum(rate(switchman_router_requests_total{colour="{colour}",outcome="error"}[1m]))
                  successCondition: "< 0.05"
            """;

    @TempDir
    Path dir;

    private LoadedConfig load(String metrics) throws Exception {
        Files.writeString(dir.resolve("switchman.yaml"), CONFIG);
        Files.writeString(dir.resolve("strategy.yaml"), HEAD + metrics);
        return Kinds.loadConfig(dir.resolve("switchman.yaml"));
    }

    @Test
    void prometheusAndWebhookMetricsLoadWithTheirOwnKeysAndTheSharedOnes() throws Exception {
        List<StrategyConfig.Metric> metrics = load(PROMETHEUS
                + "      interval: 5s\n      failureLimit: 2\n      timeout: 2s\n      tokenEnv: PROM_TOKEN\n"
                + "    - type: webhook\n      url: https://checks.internal/switchman\n").strategy().analysis().metrics();

        assertThat(metrics).extracting(StrategyConfig.Metric::type).containsExactly("prometheus", "webhook");
        StrategyConfig.Metric prometheus = metrics.get(0);
        assertThat(prometheus.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(prometheus.failureLimit()).isEqualTo(2);
        PrometheusMetricSettings settings = prometheus.kind().settings(PrometheusMetricSettings.class);
        assertThat(settings.query()).contains("colour=\"{colour}\"");
        assertThat(settings.condition()).isEqualTo(new Condition(Condition.Operator.LT, 0.05));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.tokenEnv()).isEqualTo("PROM_TOKEN");
        WebhookSettings webhook = metrics.get(1).kind().settings(WebhookSettings.class);
        assertThat(webhook.url()).isEqualTo("https://checks.internal/switchman");
        assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mistakesNameTheFileAndTheKey() {
        String strategy = dir.resolve("strategy.yaml").toString();
        assertThatThrownBy(() -> load(PROMETHEUS.replace("\"< 0.05\"", "\"under 5%\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(strategy)
                .hasMessageContaining("successCondition: 'under 5%' is not a comparison and a number")
                .hasMessageMatching("(?s).*line \\d+.*");
        assertThatThrownBy(() -> load(PROMETHEUS.replace("      url: http://prometheus.internal:9090\n", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(strategy).hasMessageContaining("url is required");
        assertThatThrownBy(() -> load(PROMETHEUS.replace("{colour}", "{color}")))
                .hasMessageContaining("query: unknown placeholder {color}");
        assertThatThrownBy(() -> load(PROMETHEUS + "      condition: \"< 1\"\n"))
                .hasMessageContaining("unknown key").hasMessageContaining("condition")
                .hasMessageContaining("successCondition").hasMessageContaining("failureLimit");
        assertThatThrownBy(() -> load("    - type: webhook\n      timeout: 2s\n"))
                .hasMessageContaining(strategy).hasMessageContaining("url is required");
    }

    @Test
    void theReadmesExampleLoads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### Analysis with Prometheus and webhooks");
        assertThat(section).as("README.md has the section").isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        Files.writeString(dir.resolve("switchman.yaml"), CONFIG);
        Files.writeString(dir.resolve("strategy.yaml"), readme.substring(start, readme.indexOf("```", start)));

        List<StrategyConfig.Metric> metrics = Kinds.loadConfig(dir.resolve("switchman.yaml")).strategy().analysis().metrics();
        assertThat(metrics).extracting(StrategyConfig.Metric::type).containsExactly("prometheus", "webhook");
        assertThat(metrics.get(0).kind().settings(PrometheusMetricSettings.class).query())
                .isEqualTo("sum(rate(switchman_router_requests_total{colour=\"{colour}\",outcome=\"error\"}[30s]))"
                        + " / sum(rate(switchman_router_requests_total{colour=\"{colour}\"}[30s]))");
        assertThat(metrics.get(1).failureLimit()).isEqualTo(2);
    }
}
