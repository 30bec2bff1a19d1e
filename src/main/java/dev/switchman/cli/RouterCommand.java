package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Wiring;
import dev.switchman.traffic.RouterDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
        Transport transport = Transport.nativeTransport();
        boolean nativeTransport = transport != null && transport.available();
        // The native transport (epoll on Linux) costs the proxy about half the kernel time of the JDK's selector.
        Vertx vertx = nativeTransport ? Vertx.builder().withTransport(transport).build() : Vertx.vertx();
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
        err.println("switchman router: serving " + daemon.describe() + ", state in " + config.stateDir()
                + ", transport " + describe(transport, nativeTransport));
        stopped.await();
        return 0;
    }

    /** The transport in use, and why not the native one when it is NIO. */
    private static String describe(Transport transport, boolean nativeTransport) {
        if (nativeTransport) {
            return transport.name().toLowerCase(Locale.ROOT);
        }
        Throwable why = transport == null ? null : transport.unavailabilityCause();
        return "nio (no native transport" + (why == null ? "" : ": " + why.getMessage()) + ")";
    }
}
