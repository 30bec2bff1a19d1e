package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks the colour and endpoint of each request for one target, by smooth weighted round-robin (as nginx does):
 * over every run of {@code sum of weights} picks each colour gets exactly its weight, interleaved rather than in
 * bursts. Within a colour the endpoints take turns; {@link #nextUp} gives the next one that is not down. One instance
 * belongs to one target; switching the target means replacing the instance, so a switch is atomic and deterministic
 * from its first request.
 */
final class WeightedSelector {

    record Pick(Colour colour, Endpoint endpoint) {}

    private final TrafficTarget target;
    private final Colour[] colours = Colour.values();
    private final int[] weights = new int[colours.length];
    private final int[] current = new int[colours.length];
    private final int[] nextEndpoint = new int[colours.length];
    private final int total;

    WeightedSelector(TrafficTarget target) {
        this.target = target;
        int sum = 0;
        for (int i = 0; i < colours.length; i++) {
            weights[i] = target.endpoints(colours[i]).isEmpty() ? 0 : target.weight(colours[i]);
            sum += weights[i];
        }
        this.total = sum;
    }

    TrafficTarget target() {
        return target;
    }

    /** Whether some colour with endpoints has weight, so that a request can be routed. */
    boolean hasWeight() {
        return total > 0;
    }

    /** The next pick, or null when no colour has weight. */
    synchronized Pick next() {
        if (total == 0) {
            return null;
        }
        int best = -1;
        for (int i = 0; i < colours.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            current[i] += weights[i];
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        return turn(best);
    }

    /** Whether {@code colour} takes requests: it has weight and endpoints. */
    boolean takes(Colour colour) {
        return weights[colour.ordinal()] > 0;
    }

    /**
     * The next endpoint of {@code colour}, which {@link #takes} requests, for a request that stays on its colour:
     * the weighted rotation of the others is left as it is.
     */
    synchronized Pick on(Colour colour) {
        return turn(colour.ordinal());
    }

    private Pick turn(int colour) {
        List<Endpoint> endpoints = target.endpoints(colours[colour]);
        Endpoint endpoint = endpoints.get(nextEndpoint[colour]);
        nextEndpoint[colour] = (nextEndpoint[colour] + 1) % endpoints.size();
        return new Pick(colours[colour], endpoint);
    }

    /**
     * The next endpoint of {@code colour} that is not down, whatever the colour's weight (a colour at weight 0 is
     * the fallback of the other), taking turns with {@link #next}; null when the colour has none up.
     */
    synchronized Endpoint nextUp(Colour colour, Predicate<Endpoint> down) {
        int i = colour.ordinal();
        List<Endpoint> endpoints = target.endpoints(colour);
        for (int tried = 0; tried < endpoints.size(); tried++) {
            int at = (nextEndpoint[i] + tried) % endpoints.size();
            Endpoint endpoint = endpoints.get(at);
            if (!down.test(endpoint)) {
                nextEndpoint[i] = (at + 1) % endpoints.size();
                return endpoint;
            }
        }
        return null;
    }
}
