package dev.switchman.release;

import dev.switchman.config.ConfigException;

/** A version as a release takes it: it goes into file names, placeholders and the store. */
public final class Versions {
    private Versions() {}

    public static String check(String version) {
        if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
            throw new ConfigException("version '" + version + "': use letters, digits, '.', '_', '+' and '-'");
        }
        return version;
    }
}
