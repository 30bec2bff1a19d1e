package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.migration.Migrator;
import dev.switchman.release.Wiring;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchman plan <version>}: the SQL that the release's expand and contract would run, without running it. */
@Command(name = "plan", description = "Print the SQL a release's expand and contract phases would run, touching nothing.")
final class PlanCommand extends BaseCommand {

    @Mixin
    VersionOptions target;

    @Override
    protected int execute() {
        LoadedConfig config = loadConfig();
        String version = target.version();
        String changelogPath = target.changelog(config);
        try (Wiring wiring = Wiring.openToRead(config)) {
            Migrator migrator = wiring.seams.migrator();
            Migrator.Changes changes = new Migrator.Changes(version, changelogPath);
            await(migrator.check(changes));
            String expand = await(migrator.plan(changes, Migrator.Phase.EXPAND));
            String contract = await(migrator.plan(changes, Migrator.Phase.CONTRACT));
            if (json) {
                printJson(new JsonObject().put("version", version).put("changelog", changelogPath)
                        .put("expand", expand).put("contract", contract));
            } else {
                System.out.println("-- expand: runs before the new version takes traffic\n" + expand);
                System.out.println("-- contract: runs once the old version is out of traffic (the point of no return)\n" + contract);
            }
            return 0;
        }
    }
}
