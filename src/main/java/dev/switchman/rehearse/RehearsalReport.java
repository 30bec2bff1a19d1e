package dev.switchman.rehearse;

import dev.switchman.lint.Finding;
import dev.switchman.lint.LintReport;
import dev.switchman.model.ExitCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal's outcome: on which server, from which history, each step with what it was seen to do. It passes
 * when every step passed; otherwise the changes are not releasable as they are (exit 2, bad input).
 */
public record RehearsalReport(String version, String changelog, String server, String history, List<Step> steps,
                              String lintNote, String observationNote, long wallMs) {

    public boolean passed() {
        return steps.stream().allMatch(Step::passed);
    }

    public int exitCode() {
        return passed() ? ExitCode.RELEASED : ExitCode.BAD_INPUT;
    }

    /** The first step that failed, or null. */
    public Step failed() {
        return steps.stream().filter(s -> s.result() == Step.Result.FAILED).findFirst().orElse(null);
    }

    public String text() {
        StringBuilder out = new StringBuilder("rehearsal of ").append(version).append(" on a throwaway PostgreSQL ")
                .append(server).append(changelog == null ? "" : ", changelog " + changelog).append('\n')
                .append("history: ").append(history).append('\n');
        for (Step step : steps) {
            out.append(String.format(Locale.ROOT, "%-13s %-8s %7d ms  %s%n", step.name(), step.result().word,
                    step.durationMs(), step.detail() == null ? "" : indentRest(step.detail())));
            if (step.change() != null) {
                out.append("    at change ").append(step.change()).append('\n');
            }
            if (!step.changes().isEmpty()) {
                out.append("    changes: ").append(String.join(", ", step.changes())).append('\n');
            }
            Observation seen = step.observed();
            for (HeldLock lock : seen.locks()) {
                out.append("    lock ").append(lock.name()).append(" (").append(lock.kind())
                        .append(lock.created() ? ", new in this step" : "").append("): ").append(lock.mode().shown())
                        .append(", ").append(lock.mode().blocks()).append(" [").append(String.join(", ", lock.seenBy()))
                        .append("]").append(lock.statement() == null ? "" : ": " + lock.statement()).append('\n');
            }
            if (seen.samples() > 0) {
                out.append("    rewritten: ").append(seen.rewritten().isEmpty() ? "none" : String.join(", ",
                        seen.rewritten().stream().map(r -> r.name() + " (" + r.kind() + ")").toList())).append('\n');
                out.append(String.format(Locale.ROOT, "    locks sampled %d times, every %.1f ms on average%n",
                        seen.samples(), seen.sampleIntervalMillis()));
            }
            for (Finding f : step.lint()) {
                out.append("    lint ").append(LintReport.line(f)).append('\n');
            }
            for (String finding : step.findings()) {
                out.append("    finding: ").append(finding).append('\n');
            }
        }
        if (lintNote != null) {
            out.append("lint: ").append(lintNote).append('\n');
        }
        out.append(observationNote).append('\n');
        Step failed = failed();
        out.append(failed == null ? "passed: expand, its undo, expand again and contract all ran on the throwaway database"
                : "not releasable: " + failed.name() + " failed" + (failed.change() == null ? "" : " at change " + failed.change()))
                .append(" (exit ").append(exitCode()).append(")\n");
        return out.toString();
    }

    private static String indentRest(String text) {
        return text.strip().replace("\n", "\n      ");
    }

    public JsonObject json() {
        JsonArray all = new JsonArray();
        for (Step step : steps) {
            JsonArray locks = new JsonArray();
            for (HeldLock lock : step.observed().locks()) {
                locks.add(new JsonObject().put("relation", lock.name()).put("kind", lock.kind())
                        .put("mode", lock.mode().shown()).put("blocksReads", lock.mode().blocksReads())
                        .put("blocksWrites", lock.mode().blocksWrites()).put("created", lock.created())
                        .put("statement", lock.statement()).put("seenBy", new JsonArray(List.copyOf(lock.seenBy()))));
            }
            JsonArray rewritten = new JsonArray();
            step.observed().rewritten().forEach(r -> rewritten.add(new JsonObject().put("relation", r.name()).put("kind", r.kind())));
            JsonArray lint = new JsonArray();
            step.lint().forEach(f -> lint.add(LintReport.json(f)));
            all.add(new JsonObject().put("step", step.name()).put("result", step.result().word)
                    .put("durationMs", step.durationMs()).put("detail", step.detail()).put("change", step.change())
                    .put("changes", new JsonArray(step.changes())).put("locks", locks).put("rewritten", rewritten)
                    .put("samples", step.observed().samples()).put("lint", lint)
                    .put("findings", new JsonArray(step.findings())));
        }
        Step failed = failed();
        return new JsonObject().put("version", version).put("changelog", changelog).put("server", server)
                .put("history", history).put("steps", all).put("passed", passed())
                .put("failedStep", failed == null ? null : failed.name())
                .put("failedChange", failed == null ? null : failed.change())
                .put("lintNote", lintNote).put("observation", observationNote)
                .put("wallMs", wallMs).put("exitCode", exitCode());
    }
}
