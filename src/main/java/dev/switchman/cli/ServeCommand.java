package dev.switchman.cli;

import dev.switchman.api.ApiOptions;
import dev.switchman.api.ApiServer;
import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Wiring;
import dev.switchman.util.ChildEnvironment;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchman serve}: a long-running coordinator with an HTTP API (docs/openapi.yaml) and a live view, running
 * releases exactly as {@code release} does. It asks for a bearer token, from SWITCHMAN_API_TOKEN or a file; without
 * one it serves only on loopback. SIGINT or SIGTERM stops it as a cancelled {@code release} stops.
 */
@Command(name = "serve", description = "Serve the release API and the live view until stopped.")
final class ServeCommand extends BaseCommand {

    @Option(names = "--listen", description = "host:port to serve on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:8480")
    String listen;

    @Option(names = "--token-file", description = "A file holding the API's bearer token (else SWITCHMAN_API_TOKEN).")
    Path tokenFile;

    @Override
    protected int execute() throws Exception {
        LoadedConfig config = loadConfig();
        ApiOptions options = ApiOptions.parse(listen, token());
        try (Wiring wiring = Wiring.open(config)) {
            ApiServer api = await(ApiServer.start(wiring, options, new ProgressPrinter(err)));
            CompletableFuture<String> stopped = new CompletableFuture<>();
            try (Signals signals = Signals.handle(stopped::complete)) {
                err.println("switchman: serving " + config.application() + " on http://" + options.host() + ":" + api.port()
                        + " (" + (options.token().isPresent() ? "bearer token required" : "loopback only, no token") + ")");
                printJson(new JsonObject().put("application", config.application()).put("host", options.host())
                        .put("port", api.port()));
                String signal = stopped.join();
                err.println("switchman: " + signal + ": stopping; a release in progress is stopped as a cancelled one is");
                await(api.stop("cancelled by " + signal + " (switchman serve was stopped)"));
            }
            return ExitCode.RELEASED;
        }
    }

    private Optional<String> token() throws IOException {
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new ConfigException("--token-file " + tokenFile + ": not a readable file");
            }
            return Optional.of(Files.readString(tokenFile).strip());
        }
        return Optional.ofNullable(System.getenv(ChildEnvironment.API_TOKEN));
    }
}
