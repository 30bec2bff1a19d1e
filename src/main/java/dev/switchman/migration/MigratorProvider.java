package dev.switchman.migration;

import dev.switchman.release.Provider;

/** Builds the {@link Migrator} named by {@code migrator.type}. */
public interface MigratorProvider extends Provider<Migrator> {}
