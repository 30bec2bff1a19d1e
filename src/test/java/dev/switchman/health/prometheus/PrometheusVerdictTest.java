package dev.switchman.health.prometheus;

import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verdict on Prometheus's answers, from the bodies its query API gives. */
class PrometheusVerdictTest {
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final Condition BELOW = Condition.parse("successCondition", "< 0.05");

    private static String vector(String... values) {
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            series.append(i == 0 ? "" : ",").append("{\"metric\":{\"colour\":\"green\",\"n\":\"").append(i)
                    .append("\"},\"value\":[1893456000.123,\"").append(values[i]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }

    private static Measurement judge(int status, String body) {
        return PrometheusVerdict.judge(status, body, BELOW, GREEN, AT);
    }

    @Test
    void oneSampleIsJudgedByTheConditionNamingTheValueTheConditionAndTheColour() {
        Measurement pass = judge(200, vector("0.0312"));
        assertThat(pass.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(pass.detail()).isEqualTo("green: 0.0312 (condition < 0.05)");
        assertThat(pass.at()).isEqualTo(AT);

        Measurement fail = judge(200, vector("0.25"));
        assertThat(fail.phase()).isEqualTo(Phase.FAILURE);
        assertThat(fail.detail()).isEqualTo("green: 0.25, which fails the condition < 0.05");

        assertThat(judge(200, vector("0.05")).phase()).as("the bound itself is not below it").isEqualTo(Phase.FAILURE);
        assertThat(judge(200, vector("+Inf")).detail()).isEqualTo("green: +Inf, which fails the condition < 0.05");
    }

    @Test
    void aScalarIsJudgedLikeOneSample() {
        String scalar = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1893456000,\"7\"]}}";
        Measurement m = PrometheusVerdict.judge(200, scalar, Condition.parse("successCondition", ">= 5"), GREEN, AT);
        assertThat(m.phase()).isEqualTo(Phase.SUCCESS);
        assertThat(m.detail()).isEqualTo("green: 7 (condition >= 5)");
    }

    @Test
    void noDataIsInconclusiveNeverAPass() {
        Measurement empty = judge(200, vector());
        assertThat(empty.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(empty.detail()).contains("green").contains("no series").contains("< 0.05");

        Measurement nan = judge(200, vector("NaN"));
        assertThat(nan.phase()).isEqualTo(Phase.INCONCLUSIVE);
        assertThat(nan.detail()).contains("green: the query gave NaN");
    }

    @Test
    void severalSeriesAreAnErrorSayingToAggregate() {
        Measurement m = judge(200, vector("0.01", "0.02"));
        assertThat(m.phase()).isEqualTo(Phase.ERROR);
        assertThat(m.detail()).contains("returned 2 series; it must return one").contains("sum(...)").contains("max(...)");
    }

    @Test
    void prometheusErrorsCarryItsOwnText() {
        Measurement bad = judge(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:14: parse error: unclosed left parenthesis\"}");
        assertThat(bad.phase()).isEqualTo(Phase.ERROR);
        assertThat(bad.detail()).isEqualTo("green: Prometheus answered 400, bad_data: 1:14: parse error: unclosed left parenthesis");

        Measurement proxy = judge(502, "<html><body>Bad Gateway</body></html>");
        assertThat(proxy.phase()).isEqualTo(Phase.ERROR);
        assertThat(proxy.detail()).contains("502").contains("not its JSON").contains("Bad Gateway");

        assertThat(judge(200, "").detail()).contains("no body");
        assertThat(judge(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}").detail())
                .contains("matrix").contains("instant query");
        assertThat(judge(200, vector("lots")).detail()).contains("not a number");
    }

    @Test
    void everyOperatorCompares() {
        assertThat(Condition.parse("c", "<0.5").holds(0.4)).isTrue();
        assertThat(Condition.parse("c", "<= 0.5").holds(0.5)).isTrue();
        assertThat(Condition.parse("c", "> 1e-3").holds(0.001)).isFalse();
        assertThat(Condition.parse("c", " >= 99.9 ").holds(99.9)).isTrue();
        assertThat(Condition.parse("c", "== 0").holds(0)).isTrue();
        assertThat(Condition.parse("c", "!= 0").holds(0)).isFalse();
        assertThat(Condition.parse("c", "> -1").toString()).isEqualTo("> -1");
    }

    @Test
    void aConditionNotOfTheFormIsRefusedNamingTheKey() {
        for (String bad : new String[] {"0.05", "< ", "=< 0.05", "< 0.05 and > 0", "lt 0.05", "= 1"}) {
            assertThatThrownBy(() -> Condition.parse("successCondition", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("successCondition: '" + bad + "' is not a comparison and a number");
        }
        assertThatThrownBy(() -> Condition.parse("successCondition", null)).hasMessageStartingWith("successCondition is required");
    }
}
