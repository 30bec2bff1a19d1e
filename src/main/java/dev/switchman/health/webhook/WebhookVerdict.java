package dev.switchman.health.webhook;

import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.model.Colour;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The verdict on a webhook's answer: a pure function of its status and body. A 2xx with {@code {"verdict":"go"}}
 * passes, {@code "no-go"} fails (with its {@code reason}), {@code "inconclusive"} is too little to judge. Anything
 * else is an error, and so is a 2xx with an empty body: a receiver that accepts any POST (a wrong URL, a catch-all
 * endpoint) answers that way, and taking it for a go would pass every release without anyone having judged it.
 */
public final class WebhookVerdict {
    /** Room for a reason a person reads; more is the webhook's log's business. */
    private static final int SHOWN = 300;

    private WebhookVerdict() {}

    public static Measurement judge(int status, String body, Colour colour, Instant at) {
        if (status / 100 != 2) {
            return new Measurement(at, Phase.ERROR, colour + ": the webhook answered " + status
                    + (body == null || body.isBlank() ? "" : ": " + shown(body)));
        }
        if (body == null || body.isBlank()) {
            return new Measurement(at, Phase.ERROR, colour + ": the webhook answered " + status + " with no body; it must"
                    + " answer {\"verdict\": \"go\"}, {\"verdict\": \"no-go\", \"reason\": \"...\"} or {\"verdict\": \"inconclusive\"}");
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new Measurement(at, Phase.ERROR, colour + ": the webhook's answer is not a JSON object: " + shown(body));
        }
        String reason = json.getValue("reason") instanceof String r && !r.isBlank() ? ": " + shown(r) : "";
        return switch (json.getValue("verdict") instanceof String v ? v : "") {
            case "go" -> new Measurement(at, Phase.SUCCESS, colour + ": the webhook says go" + reason);
            case "no-go" -> new Measurement(at, Phase.FAILURE, colour + ": the webhook says no-go"
                    + (reason.isEmpty() ? " (it gave no reason)" : reason));
            case "inconclusive" -> new Measurement(at, Phase.INCONCLUSIVE, colour + ": the webhook says inconclusive" + reason);
            default -> new Measurement(at, Phase.ERROR, colour + ": the webhook's answer has no verdict go, no-go or"
                    + " inconclusive: " + shown(body));
        };
    }

    private static String shown(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "...";
    }
}
