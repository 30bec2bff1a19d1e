package dev.switchman.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What ps(1) says of a process, so that tests check the platform against the system, not against itself. */
public final class Processes {
    private Processes() {}

    /** No such process, or only a zombie left for a parent that does not reap. */
    public static boolean gone(long pid) throws IOException, InterruptedException {
        String state = run("ps", "-o", "stat=", "-p", Long.toString(pid)).trim();
        return state.isEmpty() || state.startsWith("Z");
    }

    /** {pgid, sid}. */
    public static long[] pgidAndSid(long pid) throws IOException, InterruptedException {
        String[] fields = run("ps", "-o", "pgid=,sid=", "-p", Long.toString(pid)).trim().split("\\s+");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            return text;
        }
    }
}
