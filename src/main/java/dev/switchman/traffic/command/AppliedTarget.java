package dev.switchman.traffic.command;

import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.builtin.TargetJson;
import dev.switchman.util.AtomicFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a router without a status command is known to apply, kept in a file in the host's state directory so that
 * another process (a rollback after the coordinator died) knows it too: the last target {@code setWeights} applied
 * ({@code applied}, null when none ever was), and the target of a later {@code setWeights} that did not succeed, or
 * that is running now ({@code unconfirmed}, null when none): the router may hold either, so nothing is verified
 * until a {@code setWeights} succeeds again. All methods block: call them off the event loop.
 */
record AppliedTarget(TrafficTarget applied, TrafficTarget unconfirmed, Instant at) {

    static final AppliedTarget NONE = new AppliedTarget(null, null, null);

    /** A {@code setWeights} of {@code target} about to run. */
    AppliedTarget trying(TrafficTarget target, Instant now) {
        return new AppliedTarget(applied, target, now);
    }

    /** {@code target} applied: the command setting it exited 0. */
    static AppliedTarget succeeded(TrafficTarget target, Instant now) {
        return new AppliedTarget(target, null, now);
    }

    static AppliedTarget read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the router state file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonObject json = new JsonObject(text);
            String at = json.getString("at");
            return new AppliedTarget(target(json, "applied"), target(json, "unconfirmed"), at == null ? null : Instant.parse(at));
        } catch (DecodeException | ClassCastException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalStateException("the router state file " + file + " is corrupt (" + e.getMessage()
                    + "): delete it, then set the weights again", e);
        }
    }

    /** Atomically: a reader sees the old file or the new one, never a part. */
    void write(Path file) {
        JsonObject json = new JsonObject()
                .put("applied", applied == null ? null : TargetJson.toJson(applied))
                .put("unconfirmed", unconfirmed == null ? null : TargetJson.toJson(unconfirmed))
                .put("at", at == null ? null : at.toString());
        try {
            AtomicFiles.write(file.toAbsolutePath(), json.encodePrettily().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the router state file " + file + ": " + e.getMessage(), e);
        }
    }

    private static TrafficTarget target(JsonObject json, String key) {
        JsonObject target = json.getJsonObject(key);
        try {
            return target == null ? null : TargetJson.fromJson(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
