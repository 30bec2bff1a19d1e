package dev.switchman.db;

import dev.switchman.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
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
        try (ResourceAccessor accessor = location.accessor()) {
            return Scope.child(scope(accessor), () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                if (schema != null) {
                    database.setDefaultSchemaName(schema);
                    database.setLiquibaseSchemaName(schema);
                }
                Liquibase liquibase = new Liquibase(location.file(), accessor, database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                return work.run(liquibase);
            });
        }
    }

    /** The changelog's files are read through {@code accessor} also outside Liquibase's own commands (an sqlFile's SQL). */
    private static Map<String, Object> scope(ResourceAccessor accessor) {
        return Map.of(Scope.Attr.ui.name(), new LoggerUIService(), Scope.Attr.resourceAccessor.name(), accessor);
    }

    /**
     * Opens Liquibase on a changelog with no database: PostgreSQL's dialect, for reading changesets and the SQL
     * they generate (the lint) without a server.
     */
    public static <T> T offline(String changelog, Work<T> work) throws Exception {
        Location location = locate(changelog);
        try (ResourceAccessor accessor = location.accessor()) {
            return Scope.child(scope(accessor), () -> {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                        new OfflineConnection("offline:postgresql?outputLiquibaseSql=none", accessor));
                return work.run(new Liquibase(location.file(), accessor, database));
            });
        }
    }

    /** The text of a file the changelog names (itself, an included file, an sqlFile), or null if it cannot be read. */
    public static String source(String changelog, String filePath) {
        try {
            Location location = locate(changelog);
            if (location.directory() == null) {
                try (var in = LiquibaseRunner.class.getClassLoader().getResourceAsStream(filePath)) {
                    return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            Path file = location.directory().resolve(filePath).normalize();
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Where a file the changelog names is, for a person: a path, or the classpath resource. */
    public static String where(String changelog, String filePath) {
        Location location = locate(changelog);
        return location.directory() == null ? CLASSPATH + filePath : location.directory().resolve(filePath).normalize().toString();
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
