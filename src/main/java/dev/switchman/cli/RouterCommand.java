package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.config.RouterConfig;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code switchman router}: the builtin router in the foreground, until SIGTERM. It lives across releases and
 * coordinator crashes; {@code switchman up} starts it detached, a system service may run it too.
 */
@Command(name = "router", description = "Run the builtin router in the foreground (usually started by 'switchman up').")
final class RouterCommand extends BaseCommand {

    @Override
    protected int execute() throws Exception {
        LoadedConfig config = loadConfig();
        RouterConfig router = config.config().router();
        if (!router.type().equals("builtin")) {
            throw new ConfigException(config.file() + ": router.type is '" + router.type()
                    + "': 'switchman router' runs only the builtin router");
        }
        Files.createDirectories(config.stateDir());
        Vertx vertx = Vertx.vertx();
        BuiltinRouterServer server;
        try {
            server = await(BuiltinRouterServer.start(vertx, router, config.stateDir()));
        } catch (RuntimeException e) {
            vertx.close();
            throw new ConfigException(e.getMessage());
        }
        Path pidFile = RouterProcess.pidFile(config);
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
        err.println("switchman router: serving " + router.host() + ":" + router.port() + ", admin 127.0.0.1:"
                + router.adminPort() + ", state in " + config.stateDir());
        stopped.await();
        return 0;
    }
}
