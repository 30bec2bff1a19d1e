package dev.switchman.traffic;

import dev.switchman.config.Kind;
import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.Provider;
import java.util.Optional;

/** Builds the {@link Router} named by {@code router.type}. */
public interface RouterProvider extends Provider<Router> {
    @Override
    default String section() {
        return "router";
    }

    /**
     * The router process Switchman serves itself, for {@code switchman up} to start and {@code switchman router} to
     * run; empty for a router that is its own daemon (nginx, HAProxy).
     */
    default Optional<RouterDaemon> daemon(LoadedConfig config, Kind kind) {
        return Optional.empty();
    }
}
