package dev.switchman.platform.process;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.util.AtomicFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code <stateDir>/slots/<app>-<colour>.json}: the last slot started in a colour, written the moment it starts,
 * before its port opens, so that a coordinator killed before the store had the slot's record still leaves the slot
 * findable. Blocking.
 */
final class StartNote {
    private final Path stateDir;
    private final String application;

    StartNote(Path stateDir, String application) {
        this.stateDir = stateDir;
        this.application = application;
    }

    Path file(Colour colour) {
        return stateDir.resolve("slots").resolve(application + "-" + colour.id() + ".json");
    }

    /** Replaces the colour's note in one step: a reader sees the previous slot or this one. */
    void write(SlotRecord slot) throws IOException {
        JsonObject json = new JsonObject().put("version", slot.version()).put("pid", slot.handle())
                .put("startedAt", slot.startedAt().toString())
                .put("endpoint", slot.endpoints().getFirst().toString()).put("logFile", slot.logFile());
        AtomicFiles.write(file(slot.colour()), json.encode().getBytes(StandardCharsets.UTF_8));
    }

    Optional<SlotRecord> read(Colour colour) throws IOException {
        Path file = file(colour);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonObject json = new JsonObject(Files.readString(file));
        return Optional.of(new SlotRecord(application, colour, json.getString("version"), json.getString("pid"),
                json.getString("startedAt") == null ? null : Instant.parse(json.getString("startedAt")),
                List.of(Endpoint.parse(json.getString("endpoint"))), json.getString("logFile")));
    }
}
