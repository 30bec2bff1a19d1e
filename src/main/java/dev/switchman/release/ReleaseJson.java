package dev.switchman.release;

import dev.switchman.store.Event;
import dev.switchman.store.ReleaseRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** A release and its event log as JSON: the one shape of {@code history --json} and of the server's API. */
public final class ReleaseJson {
    private ReleaseJson() {}

    public static JsonObject of(ReleaseRecord r) {
        // An unfinished release has no exit code or duration yet.
        Integer exitCode = r.state().unfinished() ? null : r.state().exitCode();
        Long durationMs = r.endedAt() == null ? null : Duration.between(r.startedAt(), r.endedAt()).toMillis();
        return new JsonObject().put("release", r.id()).put("version", r.version())
                .put("state", r.state().name()).put("exitCode", exitCode).put("gate", r.gate()).put("reason", r.reason())
                .put("startedAt", r.startedAt().toString()).put("endedAt", r.endedAt() == null ? null : r.endedAt().toString())
                .put("durationMs", durationMs)
                .put("backup", r.backup() == null ? null : new JsonObject().put("location", r.backup().location())
                        .put("bytes", r.backup().bytes()).put("durationMs", r.backup().durationMs()));
    }

    public static JsonObject of(Event e) {
        return new JsonObject().put("at", e.at().toString()).put("gate", e.gate()).put("kind", e.kind().name())
                .put("durationMs", e.durationMs()).put("detail", e.detail());
    }
}
