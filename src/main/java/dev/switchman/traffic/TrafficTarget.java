package dev.switchman.traffic;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The whole desired state of a router: for each colour its endpoints and its weight (0-100, summing to 100, or
 * to 0 before anything was ever released).
 * Routers are always given the absolute target, never a delta, so applying a target twice is harmless and undo
 * is simply the target with all weight on the live slot.
 */
public record TrafficTarget(Map<Colour, Backend> backends) {

    /**
     * One colour's endpoints and weight, and optionally the version it runs (null when not known), which a router
     * may show beside the colour in its metrics; routers that have no use for it ignore it.
     */
    public record Backend(List<Endpoint> endpoints, int weight, String version) {
        public Backend {
            endpoints = List.copyOf(endpoints);
            if (version != null && version.isBlank()) {
                throw new IllegalArgumentException("a colour's version, when given, must not be blank");
            }
            if (weight < 0 || weight > 100) {
                throw new IllegalArgumentException("weight " + weight + " is outside 0-100");
            }
            if (weight > 0 && endpoints.isEmpty()) {
                throw new IllegalArgumentException("a colour with weight " + weight + " needs at least one endpoint");
            }
        }

        /** Without a version. */
        public Backend(List<Endpoint> endpoints, int weight) {
            this(endpoints, weight, null);
        }
    }

    public TrafficTarget {
        Map<Colour, Backend> copy = new EnumMap<>(Colour.class);
        copy.putAll(backends);
        backends = copy;
        int sum = backends.values().stream().mapToInt(Backend::weight).sum();
        if (sum != 100 && sum != 0) {
            throw new IllegalArgumentException("weights sum to " + sum + ", expected 100 (or 0: no traffic anywhere)");
        }
        backends = Map.copyOf(backends);
    }

    /** No traffic anywhere: what a first release's undo leaves (the router answers 503). */
    public static TrafficTarget none() {
        return new TrafficTarget(Map.of());
    }

    /** All traffic to {@code live}; the other colour, when known, stays registered with weight 0. */
    public static TrafficTarget all(Colour live, List<Endpoint> liveEndpoints, List<Endpoint> otherEndpoints) {
        return split(live, liveEndpoints, otherEndpoints, 0);
    }

    /** {@code toWeight} percent to {@code to}, the rest to the other colour. */
    public static TrafficTarget split(Colour from, List<Endpoint> fromEndpoints, List<Endpoint> toEndpoints, int toWeight) {
        Map<Colour, Backend> backends = new EnumMap<>(Colour.class);
        backends.put(from, new Backend(fromEndpoints, 100 - toWeight));
        backends.put(from.other(), new Backend(toEndpoints, toWeight));
        return new TrafficTarget(backends);
    }

    /** The same target with {@code version} as the version {@code colour} runs; a colour not in it is left out. */
    public TrafficTarget withVersion(Colour colour, String version) {
        Backend backend = backends.get(colour);
        if (backend == null) {
            return this;
        }
        Map<Colour, Backend> copy = new EnumMap<>(backends);
        copy.put(colour, new Backend(backend.endpoints(), backend.weight(), version));
        return new TrafficTarget(copy);
    }

    /** The same endpoints and weights without the versions: what a router that keeps no version applies. */
    public TrafficTarget withoutVersions() {
        Map<Colour, Backend> copy = new EnumMap<>(Colour.class);
        backends.forEach((colour, backend) -> copy.put(colour, new Backend(backend.endpoints(), backend.weight())));
        return new TrafficTarget(copy);
    }

    /** The version {@code colour} runs, when the target says. */
    public String version(Colour colour) {
        Backend backend = backends.get(colour);
        return backend == null ? null : backend.version();
    }

    public int weight(Colour colour) {
        Backend backend = backends.get(colour);
        return backend == null ? 0 : backend.weight();
    }

    public List<Endpoint> endpoints(Colour colour) {
        Backend backend = backends.get(colour);
        return backend == null ? List.of() : backend.endpoints();
    }
}
