package dev.switchman.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.EmbeddedDatabase;
import dev.switchman.demo.LoadGenerator;
import dev.switchman.model.ReleaseState;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.Abort;
import dev.switchman.release.Coordinator;
import dev.switchman.release.Outcome;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.traffic.builtin.BuiltinRouterSettings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchman demo}: the whole story on one machine, through the same router, platform and store as
 * {@code release}. On the embedded database it makes v1 live, releases v2 (a column rename by expand/contract)
 * under keep-alive GET and POST traffic through the router, counting failed requests, then releases a broken v3
 * that fails its health check and is rolled back. The router is started as its own process, as {@code up} does.
 */
@Command(name = "demo", description = "Release the demo application v1, v2 (under traffic) and a broken v3, on the embedded database.")
final class DemoCommand extends BaseCommand {

    @Option(names = "--dir", defaultValue = ".switchman-demo", description = "Where the demo keeps its state (wiped at start; default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--keep", description = "Leave the database, the router and v2 running at the end.")
    boolean keep;

    @Option(names = "--connections", defaultValue = "8", description = "Keep-alive connections of the traffic during v2's release (default ${DEFAULT-VALUE}).")
    int connections;

    @Override
    protected int execute() throws Exception {
        long start = System.nanoTime();
        Path state = dir.toAbsolutePath();
        reset(state);
        LoadedConfig config = Kinds.loadConfig(writeConfig(state));
        int routerPort = config.config().router().settings(BuiltinRouterSettings.class).port();
        ProgressPrinter progress = new ProgressPrinter(err);
        JsonObject summary = new JsonObject();
        boolean ok;
        try (Wiring wiring = Wiring.open(config)) {
            err.println("Demo: database " + wiring.database + ", router on http://127.0.0.1:" + routerPort
                    + ", state in " + state);
            RouterProcess.ensureRunning(config, wiring.routerDaemon.orElseThrow(), wiring.seams.router());
            Coordinator coordinator = new Coordinator(wiring);
            try {
                err.println();
                err.println("== 1. First release: v1 (nothing is live yet)");
                Outcome v1 = release(coordinator, "v1", progress);
                summary.put("v1", v1.state() == null ? null : v1.state().name());

                err.println();
                err.println("== 2. v2 renames a column (expand: add + sync trigger; contract: drop), under live traffic");
                LoadGenerator load = LoadGenerator.start(wiring.vertx, "127.0.0.1", routerPort, connections);
                Outcome v2 = release(coordinator, "v2", progress);
                LoadGenerator.Result traffic = await(load.stop());
                err.println("   traffic during v2's release: " + traffic.requests() + " requests, " + traffic.failures()
                        + " failed; answered by " + traffic.byVersion());
                traffic.failureExamples().forEach(f -> err.println("   failed: " + f));
                summary.put("v2", v2.state() == null ? null : v2.state().name())
                        .put("requests", traffic.requests()).put("failedRequests", traffic.failures())
                        .put("byVersion", new JsonObject(new HashMap<>(traffic.byVersion())));

                err.println();
                err.println("== 3. v3 is broken (its health check fails): Switchman rolls it back");
                Outcome v3 = release(coordinator, "v3", progress);
                summary.put("v3", v3.state() == null ? null : v3.state().name()).put("v3Gate", v3.gate());

                ok = v1.state() == ReleaseState.RELEASED && v2.state() == ReleaseState.RELEASED && traffic.failures() == 0
                        && v3.state() == ReleaseState.ROLLED_BACK;
                err.println();
                err.println("Demo " + (ok ? "succeeded" : "FAILED") + ": v1 " + v1.state() + ", v2 " + v2.state() + " with "
                        + traffic.failures() + " failed requests of " + traffic.requests() + ", v3 " + v3.state()
                        + " at " + v3.gate() + "; live: v2. History: switchman history -c " + config.file());
            } finally {
                if (!keep) {
                    for (SlotRecord slot : await(wiring.seams.store().slots(config.application()))) {
                        await(wiring.seams.platform().stop(slot));
                    }
                    RouterProcess.stop(config, Duration.ofSeconds(10));
                }
            }
        } finally {
            if (!keep) {
                new EmbeddedDatabase(config.stateDir()).stop(Duration.ofSeconds(30));
            }
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        err.println("Demo wall time: " + wall + " ms" + (keep ? "; kept running: stop with 'switchman down --slots -c " + config.file() + "'" : ""));
        printJson(summary.put("ok", ok).put("wallMs", wall));
        return ok ? 0 : 1;
    }

    private static Outcome release(Coordinator coordinator, String version, ProgressPrinter progress) {
        try {
            return await(coordinator.release(version, null, progress, new Abort()));
        } finally {
            progress.flush();
        }
    }

    /** A clean state directory: a previous demo's database is stopped and its files removed. */
    private static void reset(Path state) throws IOException {
        if (Files.exists(state)) {
            new EmbeddedDatabase(state).stop(Duration.ofSeconds(30));
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(state);
    }

    /** The shipped demo config with free ports, so the demo runs beside anything else on the machine. */
    private static Path writeConfig(Path state) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode config;
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream("demo/switchman.yaml")) {
            config = (ObjectNode) yaml.readTree(in);
        }
        config.put("stateDir", ".");
        ObjectNode router = config.withObject("/router");
        router.put("port", freePort());
        router.put("adminPort", freePort());
        ObjectNode ports = config.withObject("/platform").withObject("/ports");
        ports.put("blue", freePort());
        ports.put("green", freePort());
        Path file = state.resolve("switchman.yaml");
        yaml.writeValue(file.toFile(), config);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
