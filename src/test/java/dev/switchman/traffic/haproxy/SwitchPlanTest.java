package dev.switchman.traffic.haproxy;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A first release's target names the other colour with weight 0 and no endpoint: its server goes to {@code maint},
 * like a colour the target does not name, and the servers in that state read back as the target applied.
 */
class SwitchPlanTest {
    private static final HaproxyRouterSettings.Servers NAMES = new HaproxyRouterSettings.Servers("blue", "green");
    private static final Endpoint BLUE_AT = new Endpoint("127.0.0.1", 8081);
    private static final int READY = 0;
    private static final int MAINT = 0x01;
    private static final int DRAIN = 0x08;
    private static final int UP = 2;
    private static final int DOWN = 0;

    /** The servers as haproxy.cfg leaves them: weight 256, up or down, no target yet. */
    private static Map<Colour, ServerState> fromConfig() {
        return Map.of(BLUE, new ServerState("blue", "127.0.0.1", 9001, DOWN, READY, 256),
                GREEN, new ServerState("green", "127.0.0.1", 9002, DOWN, READY, 256));
    }

    @Test
    void aFirstReleasePutsTheColourWithNoEndpointInMaint() {
        TrafficTarget first = TrafficTarget.all(BLUE, List.of(BLUE_AT), List.of());

        SwitchPlan plan = SwitchPlan.of("app", NAMES, fromConfig(), first);

        assertThat(plan.raise()).containsExactly(new SwitchPlan.Step(BLUE, List.of(
                "set server app/blue addr 127.0.0.1 port 8081", "set server app/blue weight 100")));
        assertThat(plan.lower()).containsExactly(new SwitchPlan.Step(GREEN, List.of(
                "set server app/green weight 0", "set server app/green state maint")));
    }

    @Test
    void serversAfterAFirstReleaseMatchItAndReadBackAsIt() {
        Map<Colour, ServerState> applied = Map.of(BLUE, new ServerState("blue", "127.0.0.1", 8081, UP, READY, 100),
                GREEN, new ServerState("green", "127.0.0.1", 9002, DOWN, MAINT, 0));
        TrafficTarget first = TrafficTarget.all(BLUE, List.of(BLUE_AT), List.of());

        assertThat(ServerTargets.matches(applied, first)).isTrue();
        TrafficTarget read = ServerTargets.reconstruct(applied);
        assertThat(read.weight(BLUE)).isEqualTo(100);
        assertThat(read.endpoints(GREEN)).isEmpty();
        assertThat(ServerTargets.matches(applied, read)).as("what it reads back matches too").isTrue();
        assertThat(SwitchPlan.of("app", NAMES, applied, first).raise()).as("nothing left to do")
                .allMatch(step -> step.commands().isEmpty());
        assertThat(SwitchPlan.of("app", NAMES, applied, first).lower()).allMatch(step -> step.commands().isEmpty());
    }

    @Test
    void aColourWithNoEndpointInDrainDoesNotMatch() {
        // Drain keeps a server at an address that no longer is the colour's: the target says it has none.
        Map<Colour, ServerState> drained = Map.of(BLUE, new ServerState("blue", "127.0.0.1", 8081, UP, READY, 100),
                GREEN, new ServerState("green", "127.0.0.1", 9002, DOWN, DRAIN, 0));

        assertThat(ServerTargets.matches(drained, TrafficTarget.all(BLUE, List.of(BLUE_AT), List.of()))).isFalse();
    }

    @Test
    void noTargetAnywherePutsBothInMaint() {
        Map<Colour, ServerState> applied = Map.of(BLUE, new ServerState("blue", "127.0.0.1", 8081, UP, READY, 100),
                GREEN, new ServerState("green", "127.0.0.1", 9002, DOWN, MAINT, 0));

        SwitchPlan plan = SwitchPlan.of("app", NAMES, applied, TrafficTarget.none());

        assertThat(plan.raise()).isEmpty();
        assertThat(plan.lower()).containsExactly(
                new SwitchPlan.Step(BLUE, List.of("set server app/blue weight 0", "set server app/blue state maint")),
                new SwitchPlan.Step(GREEN, List.of()));
    }
}
