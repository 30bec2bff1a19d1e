package dev.switchman.release;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An outcome as the {@code --json} summary (the contract with CD) and as the closing line for people. */
public final class OutcomeJson {
    private OutcomeJson() {}

    /** Durations are named {@code ...Ms}: {@code durationMs} for a step, {@code wallMs} for the whole command. */
    public static JsonObject of(String application, Outcome outcome, long wallMs) {
        return of(application, outcome, outcome.exitCode(), wallMs);
    }

    /** With the exit code the command exits with, when it is not the outcome's (a rollback that rolled back, as asked). */
    public static JsonObject of(String application, Outcome outcome, int exitCode, long wallMs) {
        JsonArray steps = new JsonArray();
        for (Outcome.Step s : outcome.steps()) {
            steps.add(new JsonObject().put("gate", s.gate()).put("action", s.action()).put("result", s.result().id())
                    .put("durationMs", s.millis()).put("detail", s.detail()));
        }
        return new JsonObject()
                .put("application", application)
                .put("version", outcome.version())
                .put("release", outcome.releaseId())
                .put("state", outcome.state() == null ? null : outcome.state().name())
                .put("exitCode", exitCode)
                .put("gate", outcome.gate())
                .put("reason", outcome.reason())
                .put("wallMs", wallMs)
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
