package dev.switchman.cli;

import dev.switchman.model.ExitCode;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The commands done by a {@code switchman serve} ({@code --server URL}): the same output and exit codes as when
 * the command works here. A release followed from here is aborted through the API when this command is
 * cancelled (SIGINT, SIGTERM), as a local one would be stopped.
 */
final class Remote {
    private Remote() {}

    static int release(ApiClient api, String version, String changelog, PrintStream err, Consumer<JsonObject> json) {
        long start = System.nanoTime();
        ApiClient.Answer started = api.post("/api/releases", new JsonObject().put("version", version).put("changelog", changelog));
        if (!started.ok()) {
            return refusedOrEnded(api, started, err, json);
        }
        long id = started.body().getLong("release");
        JsonObject end;
        try (Signals signals = Signals.handle(signal -> {
            err.println("switchman: " + signal + ": asking the server to roll release #" + id + " back");
            api.post("/api/abort", new JsonObject());
        })) {
            end = api.follow(id, err);
        }
        return ended(end, err, json, start);
    }

    /** promote, abort, rollback: one request; abort and rollback then follow the release to its end. */
    static int steer(ApiClient api, String what, PrintStream err, Consumer<JsonObject> json) {
        long start = System.nanoTime();
        ApiClient.Answer answer = api.post("/api/" + what, new JsonObject());
        if (!answer.ok()) {
            return api.refused(answer, err);
        }
        if (what.equals("promote")) {
            err.println("switchman: promoted release #" + answer.body().getLong("release") + " "
                    + answer.body().getString("version") + " (it waited to '" + answer.body().getString("promoted") + "')");
            json.accept(answer.body().put("exitCode", ExitCode.RELEASED));
            return ExitCode.RELEASED;
        }
        JsonObject end = api.follow(answer.body().getLong("release"), err);
        int code = ended(end, err, json, start);
        // A rollback asked for and done is a success, as the local command reports it.
        return what.equals("rollback") && code == ExitCode.ROLLED_BACK ? ExitCode.RELEASED : code;
    }

    static int status(ApiClient api, PrintStream err, Consumer<JsonObject> json, boolean asJson) {
        ApiClient.Answer answer = api.get("/api/status");
        if (!answer.ok()) {
            return api.refused(answer, err);
        }
        if (!asJson) {
            System.out.println(answer.body().encodePrettily());
        }
        json.accept(answer.body());
        return answer.body().containsKey("routerError") ? ExitCode.ACT_NOW : ExitCode.RELEASED;
    }

    private static int refusedOrEnded(ApiClient api, ApiClient.Answer answer, PrintStream err, Consumer<JsonObject> json) {
        // Ended before it began (another release holds the application): the outcome, as a local release prints it.
        if (answer.body().containsKey("steps")) {
            err.println("switchman: " + answer.body().getString("reason"));
            json.accept(answer.body());
            return answer.body().getInteger("exitCode", ExitCode.ACT_NOW);
        }
        return api.refused(answer, err);
    }

    private static int ended(JsonObject end, PrintStream err, Consumer<JsonObject> json, long start) {
        int code = end.getInteger("exitCode", ExitCode.ACT_NOW);
        err.println("release #" + end.getLong("release") + " " + end.getString("version") + " ended " + end.getString("state")
                + " at gate " + end.getString("gate") + (end.getString("reason") == null ? "" : ": " + end.getString("reason"))
                + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        json.accept(end);
        return code;
    }
}
