package dev.switchman.platform.process;

import dev.switchman.config.Placeholders;
import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.Platform;
import dev.switchman.platform.PlatformContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The platform contract for {@code platform.type: process}: the server runs as a local process per slot. */
class ProcessPlatformContractTest extends PlatformContract {

    @Override
    protected Platform platform(Setup setup) {
        ProcessSettings settings = new ProcessSettings(setup.server(),
                Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{version}"), ".", "127.0.0.1",
                new ProcessSettings.SlotPorts(setup.bluePort(), setup.greenPort()), Duration.ofSeconds(10), setup.stopGrace());
        Placeholders base = new Placeholders(Map.of("app", "shop", "stateDir", setup.dir().resolve("state").toString()));
        return new ProcessPlatform(setup.vertx(), "shop", settings, setup.dir().resolve("state"), setup.dir(), base,
                Clock.systemUTC());
    }

    @Override
    protected SlotRecord recordOf(Colour colour, long pid, Instant startedAt) {
        return new SlotRecord("shop", colour, "v0", Long.toString(pid), startedAt,
                List.of(new Endpoint("127.0.0.1", 1)), "/dev/null");
    }
}
