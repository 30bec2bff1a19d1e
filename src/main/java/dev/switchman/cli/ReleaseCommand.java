package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.Release;
import dev.switchman.release.ReleaseContext;
import dev.switchman.release.Wiring;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchman release <version>}: one zero-downtime release, rolled back at whichever gate fails. */
@Command(name = "release", description = "Release a version: expand, deploy green, check, shift, bake, contract, retire blue.")
final class ReleaseCommand extends BaseCommand {

    @Mixin
    VersionOptions target;

    @Override
    protected int execute() {
        long start = System.nanoTime();
        LoadedConfig config = loadConfig();
        String version = target.version();
        String changelogPath = target.changelog(config);
        try (Wiring wiring = Wiring.open(config)) {
            Outcome outcome = release(wiring, version, changelogPath, Progress.to(err));
            long wall = (System.nanoTime() - start) / 1_000_000;
            err.println(OutcomeJson.headline(config.application(), version, outcome) + " in " + wall + " ms");
            printJson(OutcomeJson.of(config.application(), version, outcome, wall));
            return outcome.exitCode();
        }
    }

    /** Preflight, then the release's gates. Shared with {@code demo}, which releases through the same path. */
    static Outcome release(Wiring wiring, String version, String changelog, Progress progress) {
        Preflight.check(wiring, changelog);
        LoadedConfig config = wiring.config;
        ReleaseContext ctx = new ReleaseContext(wiring.vertx, config, wiring.seams, wiring.clock, progress, version, changelog);
        progress.line("Releasing " + config.application() + " " + version + " (strategy " + config.strategy().name() + ")");
        try {
            return await(new Release(ctx).run());
        } finally {
            progress.flush();
        }
    }

    /** {@code --changelog} wins; else the config's path with {version}; a classpath: changelog is kept as is. */
    static String changelogFor(LoadedConfig config, String version, String override) {
        if (override != null) {
            return override.startsWith("classpath:") ? override : Path.of(override).toAbsolutePath().toString();
        }
        String configured = config.config().changelog();
        if (configured == null) {
            throw new ConfigException(config.file() + ": no changelog: set 'changelog' (e.g. db/{version}/changelog.xml)"
                    + " or pass --changelog");
        }
        String expanded = new Placeholders(Map.of("version", version, "app", config.application())).expand(configured);
        return expanded.startsWith("classpath:") ? expanded : config.resolve(expanded).toString();
    }
}
