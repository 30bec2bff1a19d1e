package dev.switchman.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The validated settings of one kind of platform, router, migrator or health check: the record its provider reads
 * its config section into. Each kind owns its section, so the shared records never switch on a type name.
 */
public interface KindSettings {

    /**
     * The ports on this machine that this kind binds or hands out, by the key that sets each: the loader refuses a
     * config that gives two parts one port.
     */
    default Map<String, Integer> localPorts() {
        return Map.of();
    }

    /**
     * The settings with the relative paths they check taken from {@code configDir}, the config file's directory; an
     * {@link IllegalArgumentException} names the key of a file that is not there. Blocking: reads the file system.
     */
    default KindSettings relativeTo(Path configDir) {
        return this;
    }
}
