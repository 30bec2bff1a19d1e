package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.lint.LintReport;
import dev.switchman.lint.Linter;
import dev.switchman.migration.Migrator;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Changelogs;
import dev.switchman.release.Versions;
import dev.switchman.release.Wiring;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchman lint [version]}: judges every change of the changelog (or the migrator's plan) on PostgreSQL's
 * own grammar, touching nothing and needing no database for Liquibase. Exit 0 when every finding is accepted,
 * 2 otherwise.
 */
@Command(name = "lint", description = "Check the changes for what would break the live version or block its traffic.")
final class LintCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", description = "The version whose changes to check (for {version} in 'changelog').")
    String version;

    @Option(names = "--changelog", description = "The changelog to check (default: the config's 'changelog').")
    String changelog;

    @Option(names = "--format", description = "text (default) or github (annotations for GitHub Actions).",
            defaultValue = "text")
    String format;

    @Override
    protected int execute() {
        if (!format.equals("text") && !format.equals("github")) {
            throw new ConfigException("--format must be text or github, got '" + format + "'");
        }
        LoadedConfig config = loadConfig();
        String checked = version == null ? "unreleased" : Versions.check(version);
        if (version == null && changelog == null && config.config().changelog() != null
                && config.config().changelog().contains("{version}")) {
            throw new ConfigException("'changelog' depends on {version}: give the version (switchman lint 1.2.0) or --changelog");
        }
        Migrator.Changes changes = new Migrator.Changes(checked, Changelogs.forVersion(config, checked, Changelogs.given(changelog)));
        Vertx vertx = Vertx.vertx();
        try {
            Migrator migrator = Wiring.migratorOnly(vertx, config);
            if (!migrator.canPlan()) {
                throw new ConfigException("migrator.plan.expand and migrator.plan.contract are not both set: the lint"
                        + " reads the SQL they print (e.g. alembic upgrade --sql); set them to lint these changes");
            }
            LintReport report = Linter.of(config.config().lint()).lint(await(migrator.planned(changes, false)));
            int code = report.passes() ? ExitCode.RELEASED : ExitCode.BAD_INPUT;
            if (json) {
                printJson(report.json().put("exitCode", code));
            } else if (format.equals("github")) {
                System.out.print(report.github());
                err.print(report.text());
            } else {
                System.out.print(report.text());
            }
            return code;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
