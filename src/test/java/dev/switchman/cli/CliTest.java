package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pipeline or a person sees from the command line itself: help, the version, bad input. */
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
    void versionIsTheBuildsVersion() throws Exception {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("switchman " + pomVersion());
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

    /** The project's own version, as the pom gives it. */
    private static String pomVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>switchman</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("the project's version in pom.xml").isTrue();
        return m.group(1);
    }
}
