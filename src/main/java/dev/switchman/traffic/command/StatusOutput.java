package dev.switchman.traffic.command;

import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.builtin.TargetJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Reads what {@code router.status} printed: the builtin router's status JSON ({@code {"target": ..., "stats": ...}},
 * {@code stats} optional, {@code "target": null} when the router was never given one), or the bare target
 * ({@code {"blue": {"weight": 100, "endpoints": [...]}, ...}}). Only a status with {@code stats} counts requests.
 */
final class StatusOutput {
    /** How much of an unreadable output an error shows: enough to recognise it. */
    static final int SHOWN_CHARS = 300;

    private StatusOutput() {}

    /** @throws IllegalArgumentException saying what is wrong, for a message that names the key and shows the output */
    static RouterStatus parse(String stdout) {
        if (stdout == null || stdout.isBlank()) {
            throw new IllegalArgumentException("it printed nothing");
        }
        JsonObject json;
        try {
            json = new JsonObject(stdout.strip());
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        try {
            if (json.containsKey("target")) {
                return TargetJson.statusFromJson(json);
            }
            return new RouterStatus(TargetJson.fromJson(json), Map.of());
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("a field has the wrong type (" + e.getMessage() + ")");
        }
    }

    /** The output as an error shows it: stripped, cut to {@link #SHOWN_CHARS}. */
    static String shown(String stdout) {
        String text = stdout == null ? "" : stdout.strip();
        if (text.isEmpty()) {
            return "(nothing)";
        }
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "... (" + text.length() + " chars)";
    }
}
