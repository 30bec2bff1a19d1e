package dev.switchman.platform.process;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchman.config.ConfigException;
import dev.switchman.config.Placeholders;
import dev.switchman.model.Colour;
import dev.switchman.model.SlotRecord;
import dev.switchman.platform.SlotServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Preflight refuses a slot's program or working directory that cannot start, before a release touches anything;
 * the programs it accepts are the ones a real slot then runs.
 */
class ProcessPlatformPreflightTest extends SlotTestSupport {

    @Test
    void aProgramOnNoPathIsRefusedNamingTheKeyAndWhereItLooked() {
        ProcessPlatform platform = platform(List.of("no-such-server-xq7", "--port", "{port}"), Map.of("PATH", "/nonexistent-a:/nonexistent-b"), ".");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.GREEN)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.command[0]")
                .hasMessageContaining("no-such-server-xq7")
                .hasMessageContaining("/nonexistent-a")
                .hasMessageContaining("/nonexistent-b")
                .hasMessageContaining("PATH from platform.env");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aMissingProgramOnTheCoordinatorsPathIsRefused() {
        ProcessPlatform platform = platform(List.of("no-such-server-xq7"), Map.of(), ".");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.BLUE)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.command[0]")
                .hasMessageContaining("no-such-server-xq7")
                .hasMessageContaining("the coordinator's PATH");
    }

    @Test
    void aMissingProgramWithAPathIsRefusedNamingWhereItWasResolved() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        ProcessPlatform platform = platform(List.of("bin/serve"), Map.of(), "app");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.BLUE)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.command[0]")
                .hasMessageContaining("bin/serve")
                .hasMessageContaining(dir.resolve("app/bin/serve").toString())
                .hasMessageContaining("platform.workingDir");
    }

    @Test
    void aFileThatIsNotExecutableIsRefused() throws IOException {
        Path program = Files.writeString(dir.resolve("serve.sh"), "#!/bin/sh\nexec true\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rw-r--r--"));
        ProcessPlatform platform = platform(List.of("./serve.sh"), Map.of(), ".");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.BLUE)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.command[0]")
                .hasMessageContaining(program.toString())
                .hasMessageContaining("not executable");
    }

    @Test
    void aDirectoryIsNotAProgram() throws IOException {
        Files.createDirectories(dir.resolve("bin/serve"));
        ProcessPlatform platform = platform(List.of("bin/serve"), Map.of(), ".");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.BLUE)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.command[0]")
                .hasMessageContaining("directory");
    }

    @Test
    void aWorkingDirThatIsNotADirectoryIsRefused() throws IOException {
        Files.writeString(dir.resolve("app"), "a file");
        ProcessPlatform platform = platform(SlotServer.command(script), Map.of(), "app");

        Throwable failure = catchThrowable(() -> await(platform.preflight(Colour.GREEN)));

        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.workingDir")
                .hasMessageContaining(dir.resolve("app").toString())
                .hasMessageContaining("not a directory");
    }

    @Test
    void aProgramOnThePathGivenInPlatformEnvPassesAndIsWhatTheSlotRuns() throws IOException {
        writeProgram(dir.resolve("state/bin/shop-server"));
        // The PATH holds a placeholder: it is expanded as the slot's would be.
        String path = "{stateDir}/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        ProcessPlatform platform = platform(List.of("shop-server"), Map.of("PATH", path), ".");

        await(platform.preflight(Colour.GREEN));

        servesFromTheProgram(platform);
    }

    @Test
    void anExistingRelativeProgramPasses() throws IOException {
        writeProgram(dir.resolve("app/bin/serve"));
        ProcessPlatform platform = platform(List.of("bin/serve"), Map.of(), "app");

        await(platform.preflight(Colour.GREEN));

        servesFromTheProgram(platform);
    }

    // ---- helpers

    /** An executable that runs the slot server; it exits at once when a PATH or a working directory is wrong. */
    private void writeProgram(Path program) throws IOException {
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#!/bin/sh\nexec " + SlotServer.PYTHON + " -u " + script + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void servesFromTheProgram(ProcessPlatform platform) {
        SlotRecord slot = await(platform.deploy(Colour.GREEN, "v1"));
        try {
            assertThat(SlotServer.get(slot.endpoints().getFirst())).isEqualTo("v1");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            await(platform.stop(slot));
        }
    }

    private ProcessPlatform platform(List<String> command, Map<String, String> extraEnv, String workingDir) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "{port}", "HOST", "{host}", "SLOT_VERSION", "{version}"));
        env.putAll(extraEnv);
        ProcessSettings config = new ProcessSettings(command, env, workingDir, "127.0.0.1",
                new ProcessSettings.SlotPorts(bluePort, greenPort), Duration.ofSeconds(10), Duration.ofSeconds(2));
        Placeholders base = new Placeholders(Map.of("app", "shop", "stateDir", dir.resolve("state").toString()));
        return new ProcessPlatform(vertx, "shop", config, dir.resolve("state"), dir.resolve(workingDir).normalize(), base,
                Clock.systemUTC());
    }
}
