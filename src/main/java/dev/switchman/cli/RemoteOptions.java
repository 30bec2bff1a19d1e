package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.util.ChildEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --server URL}: the command asks a running {@code switchman serve} instead of working on its own. */
final class RemoteOptions {

    @Option(names = "--server", description = "Ask the switchman serve at this URL (e.g. http://127.0.0.1:8480) instead of"
            + " working here; its token from SWITCHMAN_API_TOKEN or --token-file.")
    String server;

    @Option(names = "--token-file", description = "With --server: a file holding the API's bearer token.")
    Path tokenFile;

    boolean remote() {
        return server != null;
    }

    ApiClient client() {
        return new ApiClient(server, token());
    }

    private Optional<String> token() {
        if (tokenFile == null) {
            return Optional.ofNullable(System.getenv(ChildEnvironment.API_TOKEN)).filter(t -> !t.isBlank());
        }
        try {
            return Optional.of(Files.readString(tokenFile).strip());
        } catch (IOException e) {
            throw new ConfigException("--token-file " + tokenFile + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
