package dev.switchman.spi;

import dev.switchman.config.ConfigException;
import dev.switchman.config.ConfigLoader;
import dev.switchman.config.Kind;
import dev.switchman.config.KindSettings;
import dev.switchman.config.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The registry of kinds: every {@link Provider} on the class path, found by section and type. */
public final class Kinds {
    private static final List<Provider<?>> PROVIDERS = load();

    private Kinds() {}

    private static List<Provider<?>> load() {
        List<Provider<?>> all = new ArrayList<>();
        for (Provider<?> provider : ServiceLoader.load(Provider.class, Provider.class.getClassLoader())) {
            all.add(provider);
        }
        return List.copyOf(all);
    }

    /** Reads a config file, each kind's section read and validated by its kind. */
    public static LoadedConfig loadConfig(Path file) {
        return ConfigLoader.load(file, Kinds::settingsType);
    }

    /** Like {@link #loadConfig}, without reading the strategy. */
    public static LoadedConfig loadConfigWithoutStrategy(Path file) {
        return ConfigLoader.loadWithoutStrategy(file, Kinds::settingsType);
    }

    /** The provider of {@code kind}, as the seam's own provider interface. */
    public static <P extends Provider<?>> P provider(Class<P> seam, Kind kind) {
        return seam.cast(find(kind.section(), kind.type()));
    }

    public static Class<? extends KindSettings> settingsType(String section, String type) {
        return find(section, type).settingsType();
    }

    private static Provider<?> find(String section, String type) {
        TreeSet<String> known = new TreeSet<>();
        for (Provider<?> provider : PROVIDERS) {
            if (provider.section().equals(section)) {
                if (provider.type().equals(type)) {
                    return provider;
                }
                known.add(provider.type());
            }
        }
        throw new ConfigException(section + ".type: unknown type '" + type + "' (known: " + String.join(", ", known) + ")");
    }
}
