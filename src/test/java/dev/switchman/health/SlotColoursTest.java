package dev.switchman.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.KindSettings;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.platform.process.ProcessSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotColoursTest {

    @Test
    void theProcessPlatformsPortsGiveEachEndpointItsColour() {
        ProcessSettings platform = new ProcessSettings(List.of("app"), null, null, null,
                new ProcessSettings.SlotPorts(9001, 9002), null, null);

        SlotColours colours = SlotColours.of(platform);

        assertThat(colours.known()).isTrue();
        assertThat(colours.of(new Endpoint("127.0.0.1", 9002))).contains(Colour.GREEN);
        assertThat(colours.of(new Endpoint("127.0.0.1", 9001))).contains(Colour.BLUE);
        assertThat(colours.of(new Endpoint("127.0.0.1", 9003))).isEmpty();
    }

    @Test
    void aPlatformWithoutAPortPerColourGivesNone() {
        SlotColours colours = SlotColours.of(new KindSettings() {});

        assertThat(colours.known()).isFalse();
        assertThat(colours.of(new Endpoint("127.0.0.1", 8081))).isEmpty();
    }
}
