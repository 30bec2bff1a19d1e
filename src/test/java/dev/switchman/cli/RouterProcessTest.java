package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RouterProcessTest {

    @Test
    void theRouterChildsOptionsStartThisJava() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(RouterProcess.jvmOptions(Runtime.version()));
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "warning");
    }

    @Test
    void optionsAJavaDoesNotKnowAreLeftOut() {
        assertThat(RouterProcess.jvmOptions(Runtime.Version.parse("21")))
                .contains("-Xmx96m", "-XX:+UseSerialGC")
                .noneMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval") || o.startsWith("--sun-misc"));
        assertThat(RouterProcess.jvmOptions(Runtime.Version.parse("21.0.1"))).contains("-XX:TrimNativeHeapInterval=5000");
        assertThat(RouterProcess.jvmOptions(Runtime.Version.parse("25.0.1")))
                .contains("-XX:TrimNativeHeapInterval=5000", "--sun-misc-unsafe-memory-access=allow");
    }
}
