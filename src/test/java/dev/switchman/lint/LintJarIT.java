package dev.switchman.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lint as a new user runs it: from the shaded jar, in a JVM of its own, on the corpus, with no database and
 * nothing installed but Java.
 */
class LintJarIT {
    @TempDir
    Path dir;

    @Test
    void theShadedJarFlagsTheUnsafeCorpusAndPassesTheSafeOne() throws Exception {
        Path config = Files.writeString(dir.resolve("switchman.yaml"),
                "application: corpus\nstateDir: state\nplatform:\n  command: [\"true\"]\n");

        Result unsafe = lint(config, "src/test/resources/lint/unsafe.sql");
        assertThat(unsafe.code()).as(unsafe.err()).isEqualTo(2);
        for (Rule rule : Rule.values()) {
            assertThat(unsafe.out()).as(rule.id()).contains("[" + rule.id() + "]");
        }
        for (String form : List.of("unsafe.xml", "unsafe.yaml", "unsafe.json")) {
            assertThat(lint(config, "src/test/resources/lint/" + form).code()).as(form).isEqualTo(2);
        }

        Result safe = lint(config, "src/test/resources/lint/safe.sql");
        assertThat(safe.code()).as(safe.out() + safe.err()).isZero();
        assertThat(safe.out()).contains("0 finding(s), 1 accepted");
        assertThat(lint(config, "src/test/resources/lint/safe.xml").code()).isZero();
        assertThat(dir.resolve("state")).as("no database, no state").doesNotExist();
    }

    private record Result(int code, String out, String err) {}

    private Result lint(Path config, String changelog) throws Exception {
        String jar = System.getProperty("switchman.shadedJar");
        assertThat(jar).as("the shaded jar (run by failsafe after package)").isNotNull();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(java, "-cp", jar, "dev.switchman.cli.Main", "lint",
                "--changelog", Path.of(changelog).toAbsolutePath().toString(), "-c", config.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null")).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
