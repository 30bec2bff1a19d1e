package dev.switchman.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostStateTest {
    private static final Path HOME = Path.of("/home/ci");

    @Test
    void eachApplicationHasItsOwnDirectoryOnTheHost() {
        assertThat(HostState.of("shop", Map.of(), "ci", HOME)).isEqualTo(Path.of("/home/ci/.local/state/switchman/shop"));
        assertThat(HostState.of("shop", Map.of("XDG_STATE_HOME", "/srv/state"), "ci", HOME))
                .isEqualTo(Path.of("/srv/state/switchman/shop"));
        assertThat(HostState.of("shop", Map.of("XDG_STATE_HOME", "relative"), "ci", HOME))
                .as("a relative XDG_STATE_HOME is ignored").isEqualTo(Path.of("/home/ci/.local/state/switchman/shop"));
        assertThat(HostState.of("shop", Map.of("XDG_STATE_HOME", "/srv/state"), "root", Path.of("/root")))
                .isEqualTo(Path.of("/var/lib/switchman/shop"));
        assertThat(HostState.of("shop", Map.of("SWITCHMAN_STATE_HOME", "/opt/sm"), "root", Path.of("/root")))
                .isEqualTo(Path.of("/opt/sm/shop"));
    }

    @Test
    void aConfiguredStateDirWinsRelativeToTheConfig() {
        SwitchmanConfig named = new SwitchmanConfig("shop", "state", null, null, null, null, null, null, null);
        assertThat(new LoadedConfig(Path.of("/srv/shop/switchman.yaml"), named, null).stateDir())
                .isEqualTo(Path.of("/srv/shop/state"));
        SwitchmanConfig unnamed = new SwitchmanConfig("shop", null, null, null, null, null, null, null, null);
        assertThat(new LoadedConfig(Path.of("/srv/shop/switchman.yaml"), unnamed, null).stateDir())
                .isEqualTo(HostState.of("shop"));
    }
}
