package dev.switchman.health.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A prometheus metric's keys are checked when the strategy loads, each mistake naming its key. */
class PrometheusMetricSettingsTest {
    private static final String QUERY = "sum(rate(errors_total{colour=\"{colour}\"}[1m]))";

    @Test
    void defaultsAndTheirShape() {
        PrometheusMetricSettings s = new PrometheusMetricSettings("http://prom:9090/", QUERY, "< 0.01", null, null);
        assertThat(s.url()).isEqualTo("http://prom:9090");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.condition()).isEqualTo(new Condition(Condition.Operator.LT, 0.01));
        assertThat(new PrometheusMetricSettings("https://h/prometheus", QUERY, "> 0", null, "PROM_TOKEN").url())
                .isEqualTo("https://h/prometheus");
    }

    @Test
    void eachMistakeNamesItsKey() {
        assertThatThrownBy(() -> new PrometheusMetricSettings(null, QUERY, "< 1", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url is required");
        assertThatThrownBy(() -> new PrometheusMetricSettings("prom:9090", QUERY, "< 1", null, null))
                .hasMessageStartingWith("url must be an http:// or https:// URL");
        assertThatThrownBy(() -> new PrometheusMetricSettings("ftp://prom", QUERY, "< 1", null, null))
                .hasMessageStartingWith("url must be an http:// or https:// URL");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://u:s3cret@prom", QUERY, "< 1", null, null))
                .hasMessageStartingWith("url must not carry credentials").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", " ", "< 1", null, null))
                .hasMessageStartingWith("query is required");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", "up{job=\"{job}\"}", "< 1", null, null))
                .hasMessageStartingWith("query: unknown placeholder {job}");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", QUERY, "below 1", null, null))
                .hasMessageStartingWith("successCondition: 'below 1' is not a comparison");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", QUERY, null, null, null))
                .hasMessageStartingWith("successCondition is required");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", QUERY, "< 1", Duration.ZERO, null))
                .hasMessageStartingWith("timeout must be positive");
        assertThatThrownBy(() -> new PrometheusMetricSettings("http://prom", QUERY, "< 1", null, "$TOKEN"))
                .hasMessageStartingWith("tokenEnv names an environment variable");
    }
}
