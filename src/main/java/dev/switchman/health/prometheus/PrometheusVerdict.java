package dev.switchman.health.prometheus;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Colour;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The verdict on one answer of Prometheus's {@code /api/v1/query}: a pure function of the status and the body. One
 * value (a vector of one sample, or a scalar) is judged by the condition; no value (an empty vector, NaN) is
 * inconclusive, as no data is never a pass; several series are an error, since which one to judge is the query's
 * business; an error answer, or one that cannot be read, is an error with Prometheus's own text.
 */
public final class PrometheusVerdict {
    /** Enough of a body that is not Prometheus's JSON to recognise it (a proxy's page), no more. */
    private static final int SHOWN = 200;

    private PrometheusVerdict() {}

    public static Measurement judge(int status, String body, Condition condition, Colour colour, Instant at) {
        JsonObject json;
        try {
            json = body == null || body.isBlank() ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            json = null;
        }
        if (json == null) {
            return error(at, colour, "Prometheus answered " + status + " with " + (body == null || body.isBlank()
                    ? "no body" : "a body that is not its JSON: " + shown(body)));
        }
        if (!"success".equals(json.getValue("status")) || status / 100 != 2) {
            String type = json.getValue("errorType") instanceof String t ? t + ": " : "";
            String text = json.getValue("error") instanceof String e ? e : "no error text (status " + json.getValue("status") + ")";
            return error(at, colour, "Prometheus answered " + status + ", " + type + text);
        }
        JsonObject data = json.getValue("data") instanceof JsonObject d ? d : null;
        if (data == null) {
            return error(at, colour, "Prometheus's answer has no data");
        }
        Object resultType = data.getValue("resultType");
        Object result = data.getValue("result");
        if ("scalar".equals(resultType) && result instanceof JsonArray sample) {
            return judged(at, colour, condition, sample);
        }
        if (!"vector".equals(resultType) || !(result instanceof JsonArray series)) {
            return error(at, colour, "the query gave a " + resultType + ", not one value: write an instant query"
                    + " (a range such as [5m] inside rate(), not around the whole expression)");
        }
        if (series.isEmpty()) {
            return new Measurement(at, Phase.INCONCLUSIVE, colour + ": the query returned no series (no data yet), condition "
                    + condition);
        }
        if (series.size() > 1) {
            return error(at, colour, "the query returned " + series.size() + " series; it must return one: aggregate it,"
                    + " e.g. sum(...) or max(...)");
        }
        JsonObject one = series.getValue(0) instanceof JsonObject o ? o : null;
        if (one == null || !(one.getValue("value") instanceof JsonArray sample)) {
            return error(at, colour, "Prometheus's series has no value");
        }
        return judged(at, colour, condition, sample);
    }

    /** {@code sample} is Prometheus's {@code [time, "value"]}; the value is a text so that NaN and Inf can be written. */
    private static Measurement judged(Instant at, Colour colour, Condition condition, JsonArray sample) {
        double value;
        try {
            value = switch (String.valueOf(sample.size() == 2 ? sample.getValue(1) : null)) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                case String text -> Double.parseDouble(text);
            };
        } catch (NumberFormatException e) {
            return error(at, colour, "Prometheus's value " + sample.encode() + " is not a number");
        }
        if (Double.isNaN(value)) {
            return new Measurement(at, Phase.INCONCLUSIVE, colour + ": the query gave NaN (no data to judge, e.g. no"
                    + " requests in its range), condition " + condition);
        }
        String shown = Condition.format(value);
        return condition.holds(value)
                ? new Measurement(at, Phase.SUCCESS, colour + ": " + shown + " (condition " + condition + ")")
                : new Measurement(at, Phase.FAILURE, colour + ": " + shown + ", which fails the condition " + condition);
    }

    private static Measurement error(Instant at, Colour colour, String detail) {
        return new Measurement(at, Phase.ERROR, colour + ": " + detail);
    }

    private static String shown(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "...";
    }
}
