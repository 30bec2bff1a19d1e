package dev.switchman.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/** Liquibase driven the way a migrator would: update by label, tag, roll back to a tag, parse. */
final class Liquibases {
    private Liquibases() {}

    static void update(String jdbcUrl, String changelog, String labelFilter) throws Exception {
        run(jdbcUrl, database -> new CommandScope("update")
                .addArgumentValue("database", database)
                .addArgumentValue("changelogFile", changelog)
                .addArgumentValue("labelFilter", labelFilter)
                .execute());
    }

    static void tag(String jdbcUrl, String tag) throws Exception {
        run(jdbcUrl, database -> new CommandScope("tag")
                .addArgumentValue("database", database)
                .addArgumentValue("tag", tag)
                .execute());
    }

    static void rollbackToTag(String jdbcUrl, String changelog, String tag) throws Exception {
        run(jdbcUrl, database -> new CommandScope("rollback")
                .addArgumentValue("database", database)
                .addArgumentValue("changelogFile", changelog)
                .addArgumentValue("tag", tag)
                .execute());
    }

    static List<ChangeSet> changeSets(String changelog) throws Exception {
        ResourceAccessor accessor = new ClassLoaderResourceAccessor();
        return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(changelog, accessor)
                    .parse(changelog, new ChangeLogParameters(), accessor);
            return new ArrayList<>(log.getChangeSets());
        });
    }

    private interface Step {
        void run(Database database) throws Exception;
    }

    private static void run(String jdbcUrl, Step step) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor()),
                    () -> step.run(database));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach " + jdbcUrl, e);
        }
    }
}
