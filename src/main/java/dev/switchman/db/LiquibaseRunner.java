package dev.switchman.db;

import dev.switchman.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Opens Liquibase on a changelog and a JDBC connection. Blocking: runs on workers only.
 *
 * <p>A changelog is a file path, or {@code classpath:} and a resource. A file is opened from its own directory,
 * so Liquibase records changesets under the file's name: each version of an application can ship its changelog
 * at {@code db/<version>/changelog.xml} and Liquibase still sees the same changesets (or set logicalFilePath).
 * Liquibase's console output goes to the log, so stdout stays free for {@code --json}.
 */
public final class LiquibaseRunner {
    private static final String CLASSPATH = "classpath:";

    private LiquibaseRunner() {}

    @FunctionalInterface
    public interface Work<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    public static <T> T run(Connection connection, String changelog, String schema, Work<T> work) throws Exception {
        Location location = locate(changelog);
        Map<String, Object> scope = Map.of(Scope.Attr.ui.name(), new LoggerUIService());
        return Scope.child(scope, () -> {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            if (schema != null) {
                database.setDefaultSchemaName(schema);
                database.setLiquibaseSchemaName(schema);
            }
            try (ResourceAccessor accessor = location.accessor()) {
                Liquibase liquibase = new Liquibase(location.file(), accessor, database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                return work.run(liquibase);
            }
        });
    }

    record Location(String file, Path directory) {
        ResourceAccessor accessor() throws Exception {
            return directory == null
                    ? new ClassLoaderResourceAccessor(LiquibaseRunner.class.getClassLoader())
                    : new DirectoryResourceAccessor(directory);
        }
    }

    /** Where a changelog is; a missing file is bad input, named with what to do. */
    static Location locate(String changelog) {
        if (changelog.startsWith(CLASSPATH)) {
            String resource = changelog.substring(CLASSPATH.length());
            if (LiquibaseRunner.class.getClassLoader().getResource(resource) == null) {
                throw new ConfigException("changelog " + changelog + ": no such resource");
            }
            return new Location(resource, null);
        }
        Path file = Path.of(changelog).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("changelog " + file + ": file not found (set 'changelog' in the config, "
                    + "or pass --changelog)");
        }
        return new Location(file.getFileName().toString(), file.getParent());
    }
}
