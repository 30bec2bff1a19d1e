package dev.switchman.spi;

import dev.switchman.config.ConfigException;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Builds one implementation of a seam, found by its {@code type} name through {@link ServiceLoader}: a new kind
 * of platform, router or migrator is a new package and a line in META-INF/services, never a new switch case.
 */
public interface Provider<T> {

    String type();

    T create(ProviderContext env);

    static <T, P extends Provider<T>> P find(Class<P> kind, String type, String configKey) {
        TreeSet<String> known = new TreeSet<>();
        for (P provider : ServiceLoader.load(kind, kind.getClassLoader())) {
            if (provider.type().equals(type)) {
                return provider;
            }
            known.add(provider.type());
        }
        throw new ConfigException(configKey + ": unknown type '" + type + "' (known: " + String.join(", ", known) + ")");
    }
}
