package dev.switchman.config;

/** Which settings record a kind reads its section into: the loader asks the registry of kinds, never a switch. */
@FunctionalInterface
public interface KindTypes {

    /**
     * The settings record of {@code type} in {@code section} ({@code platform}, {@code router}, {@code migrator},
     * {@code health}); throws a {@link ConfigException} naming {@code <section>.type} and the known types when no
     * kind has that type.
     */
    Class<? extends KindSettings> settingsType(String section, String type);
}
