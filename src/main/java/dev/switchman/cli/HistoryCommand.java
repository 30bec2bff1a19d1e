package dev.switchman.cli;

import dev.switchman.config.LoadedConfig;
import dev.switchman.release.ReleaseJson;
import dev.switchman.release.Wiring;
import dev.switchman.store.Event;
import dev.switchman.store.ReleaseRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchman history}: the application's releases, newest first, each with the exit code its end gave and how
 * long it took, the backup it took before expand (where, size, duration), and with their gates' events when asked.
 */
@Command(name = "history", description = "List the application's releases, newest first.")
final class HistoryCommand extends BaseCommand {

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many releases (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--events", description = "Also print each release's event log.")
    boolean events;

    @Override
    protected int execute() {
        LoadedConfig config = loadConfig();
        try (Wiring wiring = Wiring.openToRead(config)) {
            await(wiring.seams.store().migrate());
            List<ReleaseRecord> releases = await(wiring.seams.store().history(config.application(), limit));
            // The report goes to stdout, as text or (with --json) as the JSON object.
            PrintStream out = System.out;
            JsonArray all = new JsonArray();
            for (ReleaseRecord r : releases) {
                if (!json) {
                    Integer exitCode = r.state().unfinished() ? null : r.state().exitCode();
                    Long durationMs = r.endedAt() == null ? null : Duration.between(r.startedAt(), r.endedAt()).toMillis();
                    out.printf("#%-4d %-12s %-15s gate %-12s %s %s%s%s%n", r.id(), r.version(), r.state(), r.gate(), r.startedAt(),
                            durationMs == null ? "" : durationMs + " ms", exitCode == null ? "" : " exit " + exitCode,
                            r.reason() == null ? "" : "  " + r.reason());
                    if (r.backup() != null) {
                        out.printf("      backup %s%n", r.backup().describe());
                    }
                }
                JsonObject entry = ReleaseJson.of(r);
                if (events) {
                    JsonArray log = new JsonArray();
                    for (Event e : await(wiring.seams.store().events(r.id()))) {
                        if (!json) {
                            out.printf("        %s %-12s %-12s %s%s%n", e.at(), e.gate(), e.kind(),
                                    e.durationMs() == null ? "" : e.durationMs() + " ms ", e.detail() == null ? "" : e.detail());
                        }
                        log.add(ReleaseJson.of(e));
                    }
                    entry.put("events", log);
                }
                all.add(entry);
            }
            if (releases.isEmpty() && !json) {
                out.println("no releases of " + config.application() + " yet");
            }
            printJson(new JsonObject().put("application", config.application()).put("releases", all));
            return 0;
        }
    }
}
