package dev.switchman.migration;

import dev.switchman.spi.Provider;

/** Builds the {@link Migrator} named by {@code migrator.type}. */
public interface MigratorProvider extends Provider<Migrator> {
    @Override
    default String section() {
        return "migrator";
    }
}
