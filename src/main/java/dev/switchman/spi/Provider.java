package dev.switchman.spi;

import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;

/**
 * Builds one kind of a seam (a platform, router, migrator or health check), found by its section and
 * {@code type} through {@link Kinds}: a new kind is a new package and a line in
 * {@code META-INF/services/dev.switchman.spi.Provider}, never a new switch case. The kind owns its config section:
 * it names the record the section is read into, validated when built.
 */
public interface Provider<T> {

    /** The config section of the seam: {@code platform}, {@code router}, {@code migrator} or {@code health}. */
    String section();

    /** The name users write in {@code <section>.type}. */
    String type();

    /** The record this kind's section is read into; its constructor validates, naming the key. */
    Class<? extends KindSettings> settingsType();

    /** Builds the implementation from the section, whose settings are of {@link #settingsType()}. */
    T create(ProviderContext ctx, Kind kind);
}
