package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.release.Changelogs;
import dev.switchman.release.Versions;
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
        return Versions.check(version);
    }

    String changelog(LoadedConfig config) {
        return Changelogs.forVersion(config, version(), Changelogs.given(changelog));
    }
}
