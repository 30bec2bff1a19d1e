package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open WebSocket tunnels of each colour, so that a colour that lost its weight, or is drained, has them closed
 * at once rather than its clients kept on a slot about to go; counted per colour, in the status and as meters.
 */
final class Tunnels {

    private final Map<Colour, Set<Tunnel>> open = new EnumMap<>(Colour.class);
    /** The colours drained: a tunnel of theirs whose handshake ends now is closed as it opens. */
    private final Set<Colour> draining = ConcurrentHashMap.newKeySet();
    private final Map<Colour, LongAdder> closedByRouter = new EnumMap<>(Colour.class);
    private final Map<Colour, Counter> opened = new EnumMap<>(Colour.class);
    private final Map<Colour, Counter> drained = new EnumMap<>(Colour.class);

    Tunnels(MeterRegistry registry) {
        for (Colour colour : Colour.values()) {
            Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
            open.put(colour, tunnels);
            closedByRouter.put(colour, new LongAdder());
            String tag = colour.id();
            Gauge.builder("switchman.router.tunnels", tunnels, Set::size)
                    .description("WebSocket tunnels open now, by colour")
                    .tag("colour", tag).strongReference(true).register(registry);
            opened.put(colour, Counter.builder("switchman.router.tunnels.opened")
                    .description("WebSocket tunnels opened, by colour").tag("colour", tag).register(registry));
            drained.put(colour, Counter.builder("switchman.router.tunnels.drained")
                    .description("WebSocket tunnels the router closed as their colour lost its weight or was drained, by colour")
                    .tag("colour", tag).register(registry));
        }
    }

    void opened(Tunnel tunnel) {
        open.get(tunnel.colour()).add(tunnel);
        opened.get(tunnel.colour()).increment();
        if (draining.contains(tunnel.colour())) {
            tunnel.close(true);
        }
    }

    void closed(Tunnel tunnel, boolean byRouter) {
        open.get(tunnel.colour()).remove(tunnel);
        if (byRouter) {
            closedByRouter.get(tunnel.colour()).increment();
            drained.get(tunnel.colour()).increment();
        }
    }

    /** Closes every tunnel of {@code colour}, each on its own event loop, and those that open until it is admitted. */
    void drain(Colour colour) {
        draining.add(colour);
        for (Tunnel tunnel : open.get(colour)) {
            tunnel.close(true);
        }
    }

    /** Lets tunnels of {@code colour} stay open again (it has weight). */
    void admit(Colour colour) {
        draining.remove(colour);
    }

    long open(Colour colour) {
        return open.get(colour).size();
    }

    long closedByRouter(Colour colour) {
        return closedByRouter.get(colour).sum();
    }
}
