package dev.switchman.release;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An outcome as the {@code --json} summary (the contract with CD) and as the closing line for people. */
public final class OutcomeJson {
    private OutcomeJson() {}

    public static JsonObject of(String application, Outcome outcome, long wallMillis) {
        JsonArray steps = new JsonArray();
        for (Outcome.Step s : outcome.steps()) {
            steps.add(new JsonObject().put("gate", s.gate()).put("action", s.action()).put("result", s.result().id())
                    .put("millis", s.millis()).put("detail", s.detail()));
        }
        return new JsonObject()
                .put("application", application)
                .put("version", outcome.version())
                .put("release", outcome.releaseId())
                .put("state", outcome.state() == null ? null : outcome.state().name())
                .put("exitCode", outcome.exitCode())
                .put("gate", outcome.gate())
                .put("reason", outcome.reason())
                .put("wallMillis", wallMillis)
                .put("steps", steps);
    }

    public static String headline(String application, Outcome outcome) {
        String what = application + (outcome.version() == null ? "" : " " + outcome.version());
        if (outcome.state() == null) {
            return what + ": not started: " + outcome.reason();
        }
        return switch (outcome.state()) {
            case RELEASED -> what + " released (release #" + outcome.releaseId() + ")";
            case ROLLED_BACK -> what + " rolled back at gate " + outcome.gate() + ": " + outcome.reason();
            default -> what + " " + outcome.state() + " at gate " + outcome.gate() + ": " + outcome.reason();
        };
    }
}
