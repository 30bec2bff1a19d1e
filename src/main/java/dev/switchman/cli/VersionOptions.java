package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The version a command works on and its changelog: shared by {@code release} and {@code plan}. */
final class VersionOptions {

    @Parameters(index = "0", description = "The version (passed to the platform as {version}).")
    String version;

    @Option(names = "--changelog", description = "This version's changelog (default: the config's 'changelog' with {version}).")
    String changelog;

    /** The version, checked: it goes into file names, placeholders and the store. */
    String version() {
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
            throw new ConfigException("version '" + version + "': use letters, digits, '.', '_', '+' and '-'");
        }
        return version;
    }

    String changelog(LoadedConfig config) {
        return ReleaseCommand.changelogFor(config, version(), changelog);
    }
}
