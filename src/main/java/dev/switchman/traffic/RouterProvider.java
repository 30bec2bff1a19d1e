package dev.switchman.traffic;

import dev.switchman.spi.Provider;

/** Builds the {@link Router} named by {@code router.type}. */
public interface RouterProvider extends Provider<Router> {}
