package dev.switchman.platform;

import dev.switchman.spi.Provider;

/** Builds the {@link Platform} named by {@code platform.type}. */
public interface PlatformProvider extends Provider<Platform> {
    @Override
    default String section() {
        return "platform";
    }
}
