package dev.switchman.cli;

import dev.switchman.release.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An outcome as the {@code --json} summary and as the closing lines on stderr. */
final class OutcomeJson {
    private OutcomeJson() {}

    static JsonObject of(String application, String version, Outcome outcome, long wallMillis) {
        JsonArray steps = new JsonArray();
        for (Outcome.Step s : outcome.steps()) {
            steps.add(new JsonObject().put("gate", s.gate()).put("action", s.action()).put("result", s.result())
                    .put("millis", s.millis()).put("detail", s.detail()));
        }
        return new JsonObject()
                .put("application", application)
                .put("version", version)
                .put("release", outcome.releaseId())
                .put("state", outcome.state() == null ? null : outcome.state().name())
                .put("exitCode", outcome.exitCode())
                .put("gate", outcome.gate())
                .put("reason", outcome.reason())
                .put("wallMillis", wallMillis)
                .put("steps", steps);
    }

    static String headline(String application, String version, Outcome outcome) {
        if (outcome.state() == null) {
            return application + " " + version + ": not started: " + outcome.reason();
        }
        return switch (outcome.state()) {
            case RELEASED -> application + " " + version + " released (release #" + outcome.releaseId() + ")";
            case ROLLED_BACK -> application + " " + version + " rolled back at gate " + outcome.gate() + ": " + outcome.reason();
            default -> application + " " + version + " " + outcome.state() + " at gate " + outcome.gate() + ": " + outcome.reason();
        };
    }
}
