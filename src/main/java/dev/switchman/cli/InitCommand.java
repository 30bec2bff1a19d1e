package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchman init}: a starter config and an empty labelled changelog for a new application. Never overwrites. */
@Command(name = "init", description = "Write a starter switchman.yaml and an empty labelled changelog (db/changelog.xml).")
final class InitCommand extends BaseCommand {

    /**
     * The templates mark where the name goes with a marker of their own: {@code {app}} is a placeholder that the
     * written config uses and explains, and must reach the user as it is.
     */
    private static final String APPLICATION = "__APPLICATION__";

    @Option(names = "--application", description = "The application's name (default: the directory's name).")
    String application;

    @Override
    protected int execute() throws IOException {
        Path config = configFile.toAbsolutePath();
        Path dir = config.getParent();
        Path changelog = dir.resolve("db").resolve("changelog.xml");
        String app = application != null ? application
                : dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (!app.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new ConfigException("application name '" + app + "': use lower-case letters, digits, '-' and '_' (pass --application)");
        }
        for (Path existing : List.of(config, changelog)) {
            if (Files.exists(existing)) {
                throw new ConfigException(existing + " already exists: init never overwrites (remove it or choose another --config)");
            }
        }
        Files.createDirectories(changelog.getParent());
        Files.writeString(config, template("init/switchman.yaml", app));
        Files.writeString(changelog, template("init/changelog.xml", app));
        err.println("wrote " + config);
        err.println("wrote " + changelog);
        err.println("next: set platform.command to start your application on {port}, then 'switchman up' and 'switchman release <version>'");
        printJson(new JsonObject().put("config", config.toString()).put("changelog", changelog.toString()));
        return 0;
    }

    private static String template(String resource, String app) throws IOException {
        try (InputStream in = InitCommand.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(APPLICATION, app);
        }
    }
}
