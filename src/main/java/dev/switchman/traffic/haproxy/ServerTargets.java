package dev.switchman.traffic.haproxy;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How a target reads on HAProxy's servers, one server per colour. Switchman writes a colour's percentage as the
 * server's weight itself (HAProxy's scale is 0-256; only the ratio counts), so the weights it sets sum to 100, or
 * to 0. A colour with weight 0 is a server in {@code drain} at its endpoint; a colour with no endpoint (one the
 * target does not name, or the other colour of a first release) is a server in {@code maint}.
 */
final class ServerTargets {
    private ServerTargets() {}

    /** Whether the servers apply exactly {@code target}: addresses, weights, states, and raised servers up. */
    static boolean matches(Map<Colour, ServerState> servers, TrafficTarget target) {
        for (Colour colour : Colour.values()) {
            ServerState server = servers.get(colour);
            TrafficTarget.Backend want = target.backends().get(colour);
            boolean ok;
            if (unrouted(want)) {
                ok = server.maint() && server.weight() == 0;
            } else if (want.endpoints().size() != 1 || !at(server, want.endpoints().getFirst())) {
                ok = false;
            } else if (want.weight() == 0) {
                ok = server.drain() && server.weight() == 0;
            } else {
                ok = server.ready() && server.running() && server.weight() == want.weight();
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The target the servers apply, or {@code null} when their state is not one Switchman writes: then no target
     * was ever set through Switchman (e.g. haproxy.cfg's own {@code weight 256}).
     */
    static TrafficTarget reconstruct(Map<Colour, ServerState> servers) {
        Map<Colour, TrafficTarget.Backend> backends = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            ServerState server = servers.get(colour);
            if (server.maint()) {
                if (server.weight() != 0) {
                    return null;
                }
                continue;
            }
            if (server.drain() ? server.weight() != 0 : server.weight() < 1 || server.weight() > 100) {
                return null;
            }
            Endpoint endpoint;
            try {
                endpoint = new Endpoint(server.address(), server.port());
            } catch (IllegalArgumentException e) {
                return null;
            }
            backends.put(colour, new TrafficTarget.Backend(List.of(endpoint), server.weight()));
        }
        try {
            return new TrafficTarget(backends);
        } catch (IllegalArgumentException e) {
            return null; // weights that do not sum to 100 or 0
        }
    }

    /** A colour the target does not name, or names with weight 0 and no endpoint: its server is in maint. */
    static boolean unrouted(TrafficTarget.Backend want) {
        return want == null || want.weight() == 0 && want.endpoints().isEmpty();
    }

    static boolean at(ServerState server, Endpoint endpoint) {
        return server.address().equals(endpoint.host()) && server.port() == endpoint.port();
    }
}
