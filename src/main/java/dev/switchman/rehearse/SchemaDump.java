package dev.switchman.rehearse;

import dev.switchman.config.ConfigException;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.util.ToolRun;
import dev.switchman.util.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a dump of the real database's schema ({@code pg_dump --schema-only}) into the throwaway database with
 * {@code psql}, which reads everything pg_dump writes (its meta-commands, COPY, dollar quotes) as pg_dump meant
 * it; Debian's psql 15 works against the newer embedded server. It stops at the first error. libpq's variables
 * point psql at the throwaway server only: any {@code PG*} variable of this process's environment (a service, a
 * host address, options) is left out. Blocking.
 */
final class SchemaDump {
    private SchemaDump() {}

    /** Loads {@code dump}; completes with a line for the report, fails with psql's own words. */
    static String load(Path dump, DatabaseInfo throwaway, Path logDir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(dump)) {
            throw new ConfigException("--from-schema " + dump + ": no such file (give a dump made with"
                    + " pg_dump --schema-only --no-owner --no-privileges)");
        }
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (!name.startsWith("PG")) {
                env.put(name, value);
            }
        });
        env.putAll(throwaway.libpqEnvironment(Map.of()));
        ToolRunner runner = new ToolRunner(dump.toAbsolutePath().getParent(), logDir.resolve("psql.log"),
                Duration.ofMinutes(10), null, Clock.systemUTC());
        List<String> command = List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toAbsolutePath().toString());
        ToolRun run;
        try {
            run = runner.run("load schema dump", command, env);
        } catch (IOException e) {
            throw new ConfigException("--from-schema needs psql, PostgreSQL's client, on the PATH (Debian:"
                    + " apt-get install postgresql-client): " + e.getMessage(), e);
        }
        if (!run.ok()) {
            String tail = run.tail(6);
            throw new IllegalStateException("the schema dump " + dump + " does not load (psql exited with "
                    + run.exitCode() + "):\n" + tail + (tail.contains("role") && tail.contains("does not exist")
                    ? "\nthe throwaway database has only the user postgres: dump with pg_dump --schema-only --no-owner"
                            + " --no-privileges" : ""));
        }
        return "the schema dump " + dump + " loaded with psql in " + run.millis() + " ms";
    }
}
