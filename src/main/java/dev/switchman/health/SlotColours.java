package dev.switchman.health;

import dev.switchman.config.KindSettings;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The colour of an endpoint, found by its port where the platform gives each colour a port of its own
 * ({@code platform.ports.blue} and {@code platform.ports.green}, as its local ports name them). A check is only
 * given an endpoint, so elsewhere an endpoint's colour is not known.
 */
public final class SlotColours {
    private final Map<Integer, Colour> byPort;

    private SlotColours(Map<Integer, Colour> byPort) {
        this.byPort = Map.copyOf(byPort);
    }

    public static SlotColours of(KindSettings platform) {
        Map<Integer, Colour> byPort = new HashMap<>();
        for (Colour colour : Colour.values()) {
            Integer port = platform.localPorts().get("platform.ports." + colour.id());
            if (port != null) {
                byPort.put(port, colour);
            }
        }
        return new SlotColours(byPort.size() == Colour.values().length ? byPort : Map.of());
    }

    public static SlotColours none() {
        return new SlotColours(Map.of());
    }

    /** Each colour on its own port, whatever the host. */
    public static SlotColours byPort(int blue, int green) {
        return new SlotColours(Map.of(blue, Colour.BLUE, green, Colour.GREEN));
    }

    public boolean known() {
        return !byPort.isEmpty();
    }

    public Optional<Colour> of(Endpoint endpoint) {
        return Optional.ofNullable(byPort.get(endpoint.port()));
    }
}
