package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion scripts that a real bash completes with, and {@code --log-format json} lines that parse. */
class ShellAndLogFormatTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletesCommandsAndOptionsFromTheScript() throws Exception {
        Path script = dir.resolve("switchman.bash");
        Files.writeString(script, stdout("completion", "bash"));
        assertThat(complete(script, "switchman re")).contains("release", "rehearse").doesNotContain("rollback");
        assertThat(complete(script, "switchman release --log")).contains("--log-format");
        assertThat(stdout("completion", "zsh")).startsWith("autoload -U +X compinit").contains("bashcompinit");
    }

    @Test
    void withLogFormatJsonEveryLineOnStderrIsAJsonObject() throws Exception {
        try (GreeterStack stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100))) {
            stack.startRouter();
            stack.changelog("v1", """
                    --liquibase formatted sql
                    --changeset greeter:1 labels:expand
                    create table greetings (id serial primary key, name text);
                    --rollback drop table greetings;
                    """);
            Process release = stack.releaseProcess("v1", "--log-format", "json");
            assertThat(release.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(release.exitValue()).isEqualTo(ExitCode.RELEASED);
            // The JVM's own warnings (native access by Netty's epoll) come before logging starts and are not Switchman's.
            List<String> lines = Files.readAllLines(dir.resolve("coordinator-v1.log")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("WARNING: ")).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
            List<JsonObject> events = lines.stream().map(JsonObject::new).toList();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getString("message")).contains("contract");
                assertThat(e.getJsonArray("kvpList").encode()).contains("\"gate\":\"contract\"").contains("\"result\":\"passed\"");
            });
            assertThat(events).anySatisfy(e -> assertThat(e.getString("message")).contains("greeter v1 released"));
        }
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("status", "--log-format", "yaml")).isEqualTo(ExitCode.BAD_INPUT);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--log-format yaml: use text or json");
    }

    /** What bash's completion offers for the words typed so far (the last one being completed). */
    private String complete(Path script, String typed) throws Exception {
        String words = typed.endsWith(" ") ? typed + "''" : typed;
        Process bash = new ProcessBuilder("bash", "-c", "source '" + script + "'; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " COMP_LINE='" + typed + "'; COMP_POINT=${#COMP_LINE}; _complete_switchman; printf '%s\\n' \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String stdout(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
