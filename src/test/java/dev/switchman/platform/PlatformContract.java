package dev.switchman.platform;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.support.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Platform} must do, checked against real processes: each slot runs {@link SlotServer}. A platform
 * kind's test extends this and says how to build the platform and how it records a slot.
 */
public abstract class PlatformContract {
    /** Longer than a stale record may take to stop, far shorter than the grace a live slot gets. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private static Vertx vertx;

    @TempDir
    protected Path dir;
    private Platform platform;
    private final List<SlotRecord> deployed = new ArrayList<>();
    private final List<Process> bystanders = new ArrayList<>();

    /**
     * What the platform under test is built around. Each slot runs {@code server} in {@code dir} with HOST, PORT and
     * SLOT_VERSION in its environment (the slot's host, 127.0.0.1, its colour's port, and the version deployed), and
     * gets {@code stopGrace} to go after it is asked to stop.
     */
    protected record Setup(Vertx vertx, Path dir, List<String> server, int bluePort, int greenPort, Duration stopGrace) {}

    protected abstract Platform platform(Setup setup);

    /** The record this platform keeps of a slot in {@code colour} whose process is {@code pid}, started at {@code startedAt}. */
    protected abstract SlotRecord recordOf(Colour colour, long pid, Instant startedAt);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void buildPlatform() throws Exception {
        int bluePort = Ports.free();
        int greenPort;
        do {
            greenPort = Ports.free();
        } while (greenPort == bluePort);
        platform = platform(new Setup(vertx, dir, SlotServer.command(SlotServer.write(dir)), bluePort, greenPort, STOP_GRACE));
    }

    @AfterEach
    void stopWhatWasStarted() {
        bystanders.forEach(Process::destroyForcibly);
        // Every slot is stopped even when one stop fails, so that no server outlives the test.
        List<Future<Void>> stops = deployed.stream().map(platform::stop).toList();
        await(Future.join(stops));
    }

    @Test
    void deployServesTheVersionStarted() throws Exception {
        SlotRecord green = deploy(Colour.GREEN, "v1");
        SlotRecord blue = deploy(Colour.BLUE, "v2");

        assertThat(green.colour()).isEqualTo(Colour.GREEN);
        assertThat(green.version()).isEqualTo("v1");
        assertThat(platform.endpoints(green)).isNotEmpty().isEqualTo(green.endpoints());
        for (Endpoint endpoint : platform.endpoints(green)) {
            assertThat(SlotServer.get(endpoint)).as(endpoint.toString()).isEqualTo("v1");
        }
        for (Endpoint endpoint : platform.endpoints(blue)) {
            assertThat(SlotServer.get(endpoint)).as(endpoint.toString()).isEqualTo("v2");
        }
    }

    @Test
    void isRunningAfterDeployAndNotAfterStop() {
        SlotRecord slot = deploy(Colour.GREEN, "v1");
        assertThat(await(platform.isRunning(slot))).isTrue();

        await(platform.stop(slot));

        assertThat(await(platform.isRunning(slot))).isFalse();
        assertThat(platform.endpoints(slot)).noneMatch(SlotServer::accepts);
    }

    @Test
    void stopIsIdempotent() {
        SlotRecord slot = deploy(Colour.BLUE, "v1");

        // Two coordinators may stop one slot at once, e.g. a rollback racing a retire.
        await(Future.all(platform.stop(slot), platform.stop(slot)));
        await(platform.stop(slot));

        assertThat(await(platform.isRunning(slot))).isFalse();
    }

    @Test
    void aRecordOfAProcessThatIsGoneStopsAtOnce() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        Instant startedAt = finished.toHandle().info().startInstant().orElseGet(Instant::now);
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        SlotRecord gone = recordOf(Colour.BLUE, finished.pid(), startedAt);

        await(platform.stop(gone), PROMPTLY);

        assertThat(await(platform.isRunning(gone))).isFalse();
    }

    @Test
    void aRecordWhosePidNowBelongsToAnotherProcessStopsAtOnceLeavingThatProcess() throws Exception {
        // Leads its own process group, as a slot would: stopping the record as if it were the slot would end it.
        Process other = new ProcessBuilder("setsid", "sleep", "60").start();
        bystanders.add(other);
        Instant otherStart = other.toHandle().info().startInstant().orElseThrow();
        SlotRecord recycled = recordOf(Colour.GREEN, other.pid(), otherStart.minus(Duration.ofHours(1)));

        await(platform.stop(recycled), PROMPTLY);

        assertThat(await(platform.isRunning(recycled))).isFalse();
        assertThat(Processes.gone(other.pid())).as("the other process").isFalse();
    }

    @Test
    void startedReturnsWhatDeployJustStarted() {
        assertThat(await(platform.started(Colour.GREEN))).isEmpty();
        SlotRecord first = deploy(Colour.GREEN, "v1");
        assertThat(await(platform.started(Colour.GREEN))).contains(first);

        await(platform.stop(first));
        SlotRecord second = deploy(Colour.GREEN, "v2");

        assertThat(await(platform.started(Colour.GREEN))).contains(second);
        assertThat(await(platform.started(Colour.BLUE))).isEmpty();
    }

    private SlotRecord deploy(Colour colour, String version) {
        SlotRecord slot = await(platform.deploy(colour, version));
        deployed.add(slot);
        return slot;
    }
}
