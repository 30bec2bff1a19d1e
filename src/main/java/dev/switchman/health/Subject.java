package dev.switchman.health;

import dev.switchman.model.Colour;
import java.util.HashMap;
import java.util.Map;

/**
 * What a metric judges: the new version of an application in its colour, with the live one beside it (none on a
 * first release) for a comparison. Its placeholders are what a query or a webhook names: {@code {app}},
 * {@code {colour}}, {@code {version}}, {@code {live.colour}}, {@code {live.version}}.
 */
public record Subject(String application, Colour colour, String version, Colour liveColour, String liveVersion) {

    public Map<String, String> placeholders() {
        Map<String, String> values = new HashMap<>();
        values.put("app", application);
        values.put("colour", colour.id());
        values.put("version", version);
        values.put("live.colour", liveColour == null ? "" : liveColour.id());
        values.put("live.version", liveVersion == null ? "" : liveVersion);
        return values;
    }

    /** The same application seen from its live colour: what a heartbeat shows beside the judged one. */
    public Subject live() {
        return new Subject(application, liveColour, liveVersion, null, null);
    }
}
