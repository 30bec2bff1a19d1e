package dev.switchman.traffic.command;

import static dev.switchman.support.Futures.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterContract;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import dev.switchman.traffic.builtin.BuiltinRouterSettings;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The command router keeps the router contract driving a real router through commands: the builtin router, served
 * in this JVM, through its admin API with curl ({@code setWeights} PUTs {@code {target.json}}, {@code status} GETs
 * its status JSON, counters included). The bearer token goes to curl in a header file, never on a command line.
 */
class CommandRouterContractTest extends RouterContract {

    private BuiltinRouterServer server;

    @Override
    protected Router startRouter(Vertx vertx, Path stateDir) {
        BuiltinRouterSettings builtin = new BuiltinRouterSettings("127.0.0.1", Ports.free(), Ports.free(), Duration.ofSeconds(10));
        server = await(BuiltinRouterServer.start(vertx, builtin, stateDir));
        Path header = authorizationHeader(stateDir, BuiltinRouterServer.token(stateDir, builtin.port()));
        String weights = "http://127.0.0.1:" + builtin.adminPort() + "/weights";
        CommandRouterSettings settings = new CommandRouterSettings(
                List.of("curl", "-sS", "--fail-with-body", "-X", "PUT", "-H", "@" + header,
                        "-H", "Content-Type: application/json", "--data-binary", "{target.json}", weights),
                List.of("curl", "-sS", "--fail-with-body", "-H", "@" + header, weights),
                null, null, null, null, null);
        CommandRouter router = new CommandRouter(vertx, settings, stateDir, "shop", stateDir,
                CommandRouterProvider.environment(System.getenv(), null), null, Clock.systemUTC());
        router.check();
        return router;
    }

    /** curl's {@code -H @file}: the header is read from a file only its owner can read. */
    static Path authorizationHeader(Path dir, String token) {
        Path file = dir.resolve("admin-auth.header");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "Authorization: Bearer " + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    protected void stopRouter() {
        if (server != null) {
            await(server.close());
        }
    }

    @Override
    protected Endpoint publicAddress() {
        return new Endpoint("127.0.0.1", server.port());
    }

    /** The status command prints the builtin router's status, counters included. */
    @Override
    protected boolean countsPerColour() {
        return true;
    }
}
