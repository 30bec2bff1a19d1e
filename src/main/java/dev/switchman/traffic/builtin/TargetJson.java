package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.LatencyHistogram;
import dev.switchman.traffic.RouterStatus.ColourStats;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The builtin router's JSON, shared by its admin API and its client.
 *
 * <pre>
 * target: {"blue":{"weight":100,"endpoints":["127.0.0.1:8081"],"version":"1.4.2"},"green":{"weight":0,"endpoints":["127.0.0.1:8082"]}}
 * status: {"target": target-or-null, "stats": {"blue":{"requests":n,"errors":n,"clientAborts":n,"inFlight":n,"meanLatencyMillis":x,"latencyBuckets":[n,...]}, "green":{...}}}
 * </pre>
 *
 * The admin API's status adds, per colour, {@code retried} (the requests the colour could not take that were sent to
 * another endpoint) and {@code down}, the endpoints out of rotation: {@code "down":["127.0.0.1:8081"]}; a
 * {@link RouterStatus} read back has no place for them.
 *
 * A colour's {@code version} is optional: the router labels its metrics with it.
 *
 * Every {@code from*} method throws {@link IllegalArgumentException} with a message fit for a person.
 */
public final class TargetJson {

    private TargetJson() {}

    public static JsonObject toJson(TrafficTarget target) {
        JsonObject json = new JsonObject();
        for (Colour colour : Colour.values()) {
            TrafficTarget.Backend backend = target.backends().get(colour);
            if (backend != null) {
                JsonArray endpoints = new JsonArray();
                backend.endpoints().forEach(e -> endpoints.add(e.toString()));
                JsonObject out = new JsonObject().put("weight", backend.weight()).put("endpoints", endpoints);
                if (backend.version() != null) {
                    out.put("version", backend.version());
                }
                json.put(colour.id(), out);
            }
        }
        return json;
    }

    public static TrafficTarget fromJson(JsonObject json) {
        if (json == null) {
            throw new IllegalArgumentException("the target is empty");
        }
        Map<Colour, TrafficTarget.Backend> backends = new EnumMap<>(Colour.class);
        for (String key : json.fieldNames()) {
            Colour colour = Colour.of(key);
            if (!(json.getValue(key) instanceof JsonObject backend)) {
                throw new IllegalArgumentException(key + ": expected an object with weight and endpoints");
            }
            backends.put(colour, backend(key, backend));
        }
        return new TrafficTarget(backends);
    }

    /** Parses a target from text; bad JSON is an {@link IllegalArgumentException} too. */
    public static TrafficTarget fromText(String text) {
        JsonObject json;
        try {
            json = text == null || text.isBlank() ? null : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("the target is not a JSON object: " + e.getMessage());
        }
        return fromJson(json);
    }

    private static TrafficTarget.Backend backend(String key, JsonObject json) {
        for (String field : json.fieldNames()) {
            if (!field.equals("weight") && !field.equals("endpoints") && !field.equals("version")) {
                throw new IllegalArgumentException(key + "." + field
                        + ": unknown field (expected weight, endpoints, version)");
            }
        }
        Object version = json.getValue("version");
        if (version != null && !(version instanceof String)) {
            throw new IllegalArgumentException(key + ".version: expected text, got " + version);
        }
        Object weight = json.getValue("weight");
        if (!(weight instanceof Integer || weight instanceof Long)) {
            throw new IllegalArgumentException(key + ".weight: expected a whole number 0-100, got " + weight);
        }
        long w = ((Number) weight).longValue();
        if (w < 0 || w > 100) {
            throw new IllegalArgumentException(key + ".weight: " + w + " is outside 0-100");
        }
        Object rawEndpoints = json.getValue("endpoints");
        List<Endpoint> endpoints = new ArrayList<>();
        if (rawEndpoints != null) {
            if (!(rawEndpoints instanceof JsonArray array)) {
                throw new IllegalArgumentException(key + ".endpoints: expected a list of host:port");
            }
            for (Object item : array) {
                if (!(item instanceof String text)) {
                    throw new IllegalArgumentException(key + ".endpoints: expected host:port text, got " + item);
                }
                try {
                    endpoints.add(Endpoint.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ".endpoints: '" + text + "' is not host:port");
                }
            }
        }
        try {
            return new TrafficTarget.Backend(endpoints, (int) w, (String) version);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    public static JsonObject statusToJson(RouterStatus status) {
        JsonObject stats = new JsonObject();
        for (Colour colour : Colour.values()) {
            ColourStats s = status.stats(colour);
            stats.put(colour.id(), new JsonObject()
                    .put("requests", s.requests())
                    .put("errors", s.errors())
                    .put("clientAborts", s.clientAborts())
                    .put("inFlight", s.inFlight())
                    .put("meanLatencyMillis", s.meanLatencyMillis())
                    .put("latencyBuckets", new JsonArray(new ArrayList<>(s.latency().counts()))));
        }
        return new JsonObject()
                .put("target", status.target() == null ? null : toJson(status.target()))
                .put("stats", stats);
    }

    /** The admin API's status: {@code status} with each colour's {@code retried} and the endpoints {@code down}. */
    static JsonObject statusToJson(RouterStatus status, Map<Colour, Long> retried, List<Endpoint> down) {
        JsonObject json = statusToJson(status);
        JsonObject stats = json.getJsonObject("stats");
        for (Colour colour : Colour.values()) {
            stats.getJsonObject(colour.id()).put("retried", retried.getOrDefault(colour, 0L));
        }
        JsonArray endpoints = new JsonArray();
        down.forEach(e -> endpoints.add(e.toString()));
        return json.put("down", endpoints);
    }

    /** A histogram as the status carries it; a router that sent none (or another shape of it) has none. */
    private static LatencyHistogram latency(JsonArray buckets) {
        if (buckets == null || buckets.size() != LatencyHistogram.EMPTY.counts().size()) {
            return LatencyHistogram.EMPTY;
        }
        List<Long> counts = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            counts.add(buckets.getLong(i));
        }
        return new LatencyHistogram(counts);
    }

    public static RouterStatus statusFromJson(JsonObject json) {
        if (json == null) {
            throw new IllegalArgumentException("the status is empty");
        }
        JsonObject target = json.getJsonObject("target");
        JsonObject stats = json.getJsonObject("stats", new JsonObject());
        Map<Colour, ColourStats> byColour = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            JsonObject s = stats.getJsonObject(colour.id());
            if (s != null) {
                byColour.put(colour, new ColourStats(
                        s.getLong("requests", 0L),
                        s.getLong("errors", 0L),
                        s.getLong("inFlight", 0L),
                        s.getDouble("meanLatencyMillis", 0.0),
                        s.getLong("clientAborts", 0L),
                        latency(s.getJsonArray("latencyBuckets"))));
            }
        }
        return new RouterStatus(target == null ? null : fromJson(target), Map.copyOf(byColour));
    }
}
