package dev.switchman.traffic.haproxy;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime API commands that move a backend's servers to a target, in two phases: first every server whose
 * weight goes up (its address, weight, then {@code ready}), and only once those are up every server whose weight
 * goes down (weight, then {@code drain}, or {@code maint} for a colour with no endpoint). Raising first
 * means some server always takes new requests; lowering first failed requests in measurements. Commands that would
 * change nothing are left out, so setting a target again touches nothing.
 */
record SwitchPlan(List<Step> raise, List<Step> lower) {

    /** The commands for one colour's server, in order. */
    record Step(Colour colour, List<String> commands) {}

    static SwitchPlan of(String backend, HaproxyRouterSettings.Servers names, Map<Colour, ServerState> servers,
                         TrafficTarget target) {
        List<Step> raise = new ArrayList<>();
        List<Step> lower = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            ServerState server = servers.get(colour);
            String prefix = "set server " + backend + "/" + names.of(colour) + " ";
            TrafficTarget.Backend want = target.backends().get(colour);
            List<String> commands = new ArrayList<>();
            if (want != null && want.weight() > 0) {
                Endpoint endpoint = want.endpoints().getFirst();
                if (!ServerTargets.at(server, endpoint)) {
                    commands.add(prefix + "addr " + endpoint.host() + " port " + endpoint.port());
                }
                if (server.weight() != want.weight()) {
                    commands.add(prefix + "weight " + want.weight());
                }
                if (!server.ready()) {
                    commands.add(prefix + "state ready");
                }
                (want.weight() >= server.effectiveWeight() ? raise : lower).add(new Step(colour, commands));
                continue;
            }
            if (server.weight() != 0) {
                commands.add(prefix + "weight 0");
            }
            if (ServerTargets.unrouted(want)) {
                if (!server.maint()) {
                    commands.add(prefix + "state maint");
                }
            } else {
                if (!server.drain()) {
                    commands.add(prefix + "state drain");
                }
                // An idle colour's new endpoint is set once it takes no new requests.
                Endpoint endpoint = want.endpoints().getFirst();
                if (!ServerTargets.at(server, endpoint)) {
                    commands.add(prefix + "addr " + endpoint.host() + " port " + endpoint.port());
                }
            }
            lower.add(new Step(colour, commands));
        }
        return new SwitchPlan(List.copyOf(raise), List.copyOf(lower));
    }
}
