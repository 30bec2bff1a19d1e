package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Wiring;
import dev.switchman.traffic.RouterDaemon;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code switchman router}: the router Switchman serves itself, in the foreground, until SIGTERM. It lives across
 * releases and coordinator crashes; {@code switchman up} starts it detached, a system service may run it too.
 */
@Command(name = "router", description = "Run the builtin router in the foreground (usually started by 'switchman up').")
final class RouterCommand extends BaseCommand {

    @Override
    protected int execute() throws Exception {
        LoadedConfig config = loadConfig();
        RouterDaemon daemon = Wiring.routerDaemon(config).orElseThrow(() -> new ConfigException(config.file()
                + ": router.type is '" + config.config().router().type() + "', a router that runs as its own daemon:"
                + " 'switchman router' runs only a router Switchman serves itself (builtin)"));
        Files.createDirectories(config.stateDir());
        Vertx vertx;
        try {
            vertx = daemon.newVertx();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.file() + ": " + e.getMessage());
        }
        RouterDaemon.Running server;
        try {
            server = await(daemon.start(vertx));
        } catch (RuntimeException e) {
            vertx.close();
            throw new ConfigException(e.getMessage());
        }
        Path pidFile = RouterProcess.pidFile(config, daemon);
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().join();
                Files.deleteIfExists(pidFile);
            } catch (Exception ignored) {
                // Shutting down: nothing more to do.
            } finally {
                stopped.countDown();
            }
        }));
        err.println("switchman router: serving " + daemon.describe() + ", state in " + config.stateDir());
        stopped.await();
        return 0;
    }
}
