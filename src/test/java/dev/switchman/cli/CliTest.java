package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pipeline or a person sees from the command line itself: help, bad input. */
class CliTest {

    @Test
    void helpPrintsTheUsageOnStdoutAndSucceeds() {
        for (String[] args : new String[][] {{"--help"}, {"help"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.stdout()).as(String.join(" ", args)).contains("Usage: switchman").contains("release");
        }
    }

    @Test
    void helpOnACommandPrintsThatCommandsUsageAndSucceeds() {
        for (String[] args : new String[][] {{"release", "--help"}, {"help", "release"}, {"init", "-h"}, {"help", "init"}}) {
            String command = args[0].equals("help") ? args[1] : args[0];
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.stderr()).isZero();
            assertThat(run.stdout()).as(String.join(" ", args)).contains("Usage: switchman " + command);
        }
    }

    @Test
    void anUnknownOptionIsStillBadInput() {
        CliRun run = CliRun.of("release", "--nope", "1.0.0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("Unknown option: '--nope'").contains("Usage: switchman release");
    }

    @Test
    void aBadConfigIsBadInputWithTheFileTheKeyAndTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchman.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\napplication: billing\n");
        CliRun run = CliRun.of("status", "-c", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains(file.toString()).contains("duplicate key 'application' at line 4");

        Files.writeString(file, "");
        run = CliRun.of("status", "-c", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains(file.toString()).contains("the file is empty");
    }
}
