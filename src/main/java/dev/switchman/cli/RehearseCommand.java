package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.lint.Linter;
import dev.switchman.migration.Migrator;
import dev.switchman.rehearse.ApplicationDatabase;
import dev.switchman.rehearse.Rehearsal;
import dev.switchman.rehearse.RehearsalReport;
import dev.switchman.rehearse.ThrowawayDatabase;
import dev.switchman.release.Wiring;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchman rehearse <version>}: the version's migrations on a throwaway PostgreSQL server (expand, its undo,
 * expand again, contract), each step with the locks it was seen to take and the tables it rewrote, beside the lint's
 * findings. Exit 0 when every step passed, 2 when one failed (the changes are not releasable as they are). The
 * application's database is at most read: which changes it has applied.
 */
@Command(name = "rehearse", description = "Run the version's migrations on a throwaway PostgreSQL (expand, its undo,"
        + " expand again, contract) and report what each step locked and rewrote; the application's database is only read.")
final class RehearseCommand extends BaseCommand {

    @Mixin
    VersionOptions target;

    @Option(names = "--from-schema", description = "Start from this dump of the real database's schema"
            + " (pg_dump --schema-only --no-owner --no-privileges), loaded with psql.")
    Path fromSchema;

    @Override
    protected int execute() {
        long started = System.nanoTime();
        LoadedConfig config = loadConfig();
        String version = target.version();
        Migrator.Changes changes = new Migrator.Changes(version, target.changelog(config));
        Path dump = fromSchema == null ? null : fromSchema.toAbsolutePath();
        if (dump != null && !Files.isRegularFile(dump)) {
            throw new ConfigException("--from-schema " + dump + ": no such file (make one with pg_dump --schema-only"
                    + " --no-owner --no-privileges)");
        }
        err.println("switchman: rehearsing " + version + " on a throwaway PostgreSQL server");
        try (ThrowawayDatabase throwaway = ThrowawayDatabase.start()) {
            Vertx vertx = Vertx.vertx();
            try {
                Migrator migrator = Wiring.migratorOn(vertx, config, throwaway.database());
                ApplicationDatabase application = migrator.canReplayHistory() ? ApplicationDatabase.probe(config)
                        : ApplicationDatabase.notRead("this migrator cannot read the application's history");
                Rehearsal rehearsal = new Rehearsal(vertx, migrator, throwaway, changes, Linter.of(config.config().lint()),
                        new Rehearsal.Options(dump, application, "switchman-" + config.application() + "-rehearsal", started),
                        step -> err.println("switchman: " + step.name() + " " + step.result().word + " in "
                                + step.durationMs() + " ms"));
                RehearsalReport report = await(rehearsal.run());
                if (json) {
                    printJson(report.json());
                } else {
                    System.out.print(report.text());
                }
                return report.exitCode();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }
}
