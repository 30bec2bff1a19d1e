package dev.switchman.config;

import java.nio.file.Path;

/** A validated config with its file, so that relative paths resolve against the file's directory. */
public record LoadedConfig(Path file, SwitchmanConfig config, StrategyConfig strategy) {

    public Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public Path resolve(String path) {
        return baseDir().resolve(path).normalize();
    }

    /** The config's {@code stateDir}, or, when it names none, the host's directory for the application. */
    public Path stateDir() {
        return config.stateDir() == null ? HostState.of(config.application()) : resolve(config.stateDir());
    }

    public String application() {
        return config.application();
    }
}
