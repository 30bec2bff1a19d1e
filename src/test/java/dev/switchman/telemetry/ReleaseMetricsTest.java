package dev.switchman.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.ConfigException;
import dev.switchman.lint.Finding;
import dev.switchman.lint.LintReport;
import dev.switchman.lint.Rule;
import dev.switchman.migration.Migrator;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.release.Outcome;
import dev.switchman.release.ProgressEvent;
import dev.switchman.store.Event;
import dev.switchman.traffic.TrafficTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters a release's events and outcome give, as Prometheus reads them. */
class ReleaseMetricsTest {
    private static final List<Endpoint> BLUE = List.of(new Endpoint("127.0.0.1", 8081));
    private static final List<Endpoint> GREEN = List.of(new Endpoint("127.0.0.1", 8082));

    @Test
    void aReleaseRolledBackAtTheShift(@TempDir Path dir) throws Exception {
        ReleaseMetrics metrics = new ReleaseMetrics("shop", "1.2.3");
        metrics.report(new ProgressEvent.StepStarted("expand", false));
        metrics.report(new ProgressEvent.StepEnded(new Outcome.Step("expand", Event.Kind.PASSED, 1500, "done")));
        metrics.report(new ProgressEvent.StepStarted("shift", false));
        assertThat(metrics.scrape())
                .contains("switchman_release_gate{application=\"shop\",gate=\"shift\"} 1")
                .contains("switchman_release_gate{application=\"shop\",gate=\"expand\"} 0");
        metrics.report(new ProgressEvent.TrafficSet(TrafficTarget.split(Colour.BLUE, BLUE, GREEN, 25)));
        metrics.report(new ProgressEvent.StepEnded(new Outcome.Step("shift", Event.Kind.FAILED, 4000, "analysis")));
        metrics.report(new ProgressEvent.StepStarted("shift", true));
        metrics.report(new ProgressEvent.TrafficSet(TrafficTarget.all(Colour.BLUE, BLUE, GREEN)));
        metrics.report(new ProgressEvent.TrafficBack(Duration.ofMillis(250)));
        metrics.report(new ProgressEvent.StepEnded(new Outcome.Step("shift", Event.Kind.UNDONE, 300, "back")));
        metrics.ended(new Outcome(ExitCode.ROLLED_BACK, ReleaseState.ROLLED_BACK, 7L, "v2", "shift", "analysis", List.of()));

        String text = metrics.scrape();
        assertThat(text)
                .contains("switchman_releases_total{application=\"shop\",outcome=\"rolled_back\"} 1.0")
                .contains("switchman_releases_total{application=\"shop\",outcome=\"released\"} 0.0")
                .contains("switchman_releases_total{application=\"shop\",outcome=\"bad_input\"} 0.0")
                .contains("switchman_rollbacks_total{application=\"shop\",gate=\"shift\"} 1.0")
                .contains("switchman_rollbacks_total{application=\"shop\",gate=\"expand\"} 0.0")
                .contains("switchman_gate_duration_seconds_sum{application=\"shop\",gate=\"expand\",result=\"passed\"} 1.5")
                .contains("switchman_gate_duration_seconds_count{application=\"shop\",gate=\"shift\",result=\"failed\"} 1")
                .contains("switchman_gate_duration_seconds_sum{application=\"shop\",gate=\"shift\",result=\"undone\"} 0.3")
                .contains("switchman_rollback_span_seconds_count{application=\"shop\"} 1")
                .contains("switchman_rollback_span_seconds_sum{application=\"shop\"} 0.25")
                .contains("switchman_traffic_weight{application=\"shop\",colour=\"blue\"} 100")
                .contains("switchman_traffic_weight{application=\"shop\",colour=\"green\"} 0")
                .contains("switchman_build_info{application=\"shop\",version=\"1.2.3\"} 1")
                .doesNotContain("switchman_release_gate{application=\"shop\",gate=\"shift\"} 1");

        Promtool.assumeInstalled();
        Promtool.Result check = Promtool.run(dir, text, "check", "metrics");
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void everyEndHasItsOutcome() {
        assertThat(ended(new Outcome(0, ReleaseState.RELEASED, 1L, "v2", null, null, List.of()))).isEqualTo("released");
        assertThat(ended(new Outcome(3, ReleaseState.ROLLBACK_FAILED, 1L, "v2", "shift", "x", List.of()))).isEqualTo("rollback_failed");
        assertThat(ended(new Outcome(3, ReleaseState.FAILED_PAST_CONTRACT, 1L, "v2", "contract", "x", List.of())))
                .isEqualTo("failed_past_contract");
        assertThat(ended(Outcome.conflict("v2", "held"))).isEqualTo("conflict");
        // Failed before the release row existed (the backup gate, say): nothing but the lock was touched.
        assertThat(ended(new Outcome(ExitCode.ROLLED_BACK, null, null, "v2", "backup", "x", List.of()))).isEqualTo("rolled_back");

        ReleaseMetrics refused = new ReleaseMetrics("shop", "1.2.3");
        refused.report(new ProgressEvent.Linted(new LintReport(List.of(
                new Finding(Rule.DROP_COLUMN, "v2.sql", 3, "2", "shop", Migrator.Phase.EXPAND, "drops name", null),
                new Finding(Rule.DROP_COLUMN, "v2.sql", 5, "3", "shop", Migrator.Phase.EXPAND, "drops title", null),
                new Finding(Rule.RENAME_TABLE, "v2.sql", 7, "4", "shop", Migrator.Phase.EXPAND, "renames", "no reader yet")),
                List.of())));
        refused.failed(new ConfigException("lint: 2 unsafe statement(s)"));
        assertThat(refused.scrape())
                .contains("switchman_releases_total{application=\"shop\",outcome=\"bad_input\"} 1.0")
                .contains("switchman_lint_findings_total{accepted=\"false\",application=\"shop\",rule=\"drop-column\"} 2.0")
                .contains("switchman_lint_findings_total{accepted=\"true\",application=\"shop\",rule=\"rename-table\"} 1.0");
    }

    private static String ended(Outcome outcome) {
        ReleaseMetrics metrics = new ReleaseMetrics("shop", "1.2.3");
        metrics.ended(outcome);
        return ReleaseMetrics.OUTCOMES.stream()
                .filter(o -> metrics.scrape().contains("outcome=\"" + o + "\"} 1.0"))
                .reduce((a, b) -> a + "," + b).orElse("none");
    }
}
