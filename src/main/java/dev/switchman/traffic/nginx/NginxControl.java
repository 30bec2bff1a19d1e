package dev.switchman.traffic.nginx;

import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Tests and reloads nginx with the configured commands, blocking (call it from a worker). {@code nginx -s reload}
 * only signals the master, so a reload is waited for until the master has started new workers and every old one
 * has stopped taking requests (its title says "shutting down") or exited.
 */
final class NginxControl {
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(30);

    private final NginxRouterSettings settings;
    private final Path pidFile;
    private final ToolRunner runner;
    private final Map<String, String> env;
    private final Clock clock;

    NginxControl(NginxRouterSettings settings, Path pidFile, ToolRunner runner, Map<String, String> env, Clock clock) {
        this.settings = settings;
        this.pidFile = pidFile;
        this.runner = runner;
        this.env = env;
        this.clock = clock;
    }

    /** Null when nginx accepts its config, else what nginx said. */
    String test() throws IOException, InterruptedException {
        ToolRun run = runner.run("nginx test", settings.testCommand(), env);
        return run.ok() ? null : said(run);
    }

    void reload() throws IOException, InterruptedException {
        ProcessHandle master = master();
        Set<Long> before = master.children().map(ProcessHandle::pid).collect(Collectors.toSet());
        ToolRun run = runner.run("nginx reload", settings.reloadCommand(), env);
        if (!run.ok()) {
            throw new IllegalStateException("router.reloadCommand " + run.shown() + " failed: " + said(run));
        }
        Instant deadline = clock.instant().plus(RELOAD_BOUND);
        while (!reloaded(master, before)) {
            if (!master.isAlive() || clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("nginx (master " + master.pid() + ") started no new workers within "
                        + RELOAD_BOUND.toSeconds() + " s of " + run.shown() + ": see nginx's error log");
            }
            TimeUnit.MILLISECONDS.sleep(5); // a worker thread, polling the master's children in /proc
        }
    }

    private ProcessHandle master() throws IOException {
        String text;
        try {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("router.pidFile " + pidFile + " does not exist: is nginx running, and is this"
                    + " its pid file (nginx's `pid` directive)?");
        }
        try {
            return ProcessHandle.of(Long.parseLong(text)).orElseThrow(() -> new IllegalStateException(
                    "router.pidFile " + pidFile + " names process " + text + ", which is not running: is nginx running?"));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("router.pidFile " + pidFile + " holds '" + text + "', not a process id");
        }
    }

    private static boolean reloaded(ProcessHandle master, Set<Long> before) {
        List<ProcessHandle> children = master.children().toList();
        boolean started = children.stream().anyMatch(child -> !before.contains(child.pid()));
        return started && children.stream().filter(child -> before.contains(child.pid()))
                .allMatch(child -> title(child.pid()).contains("shutting down"));
    }

    /** nginx writes its process titles over argv, so /proc shows them as the command line. */
    private static String title(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "shutting down"; // it has exited
        }
    }

    private static String said(ToolRun run) {
        String tail = run.tail(5);
        return tail.isBlank() ? "exit " + run.exitCode() : tail;
    }
}
