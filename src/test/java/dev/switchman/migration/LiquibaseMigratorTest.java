package dev.switchman.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiquibaseMigratorTest {
    private Vertx vertx;
    private DatabaseInfo db;
    private LiquibaseMigrator migrator;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        migrator = new LiquibaseMigrator(vertx, db, LiquibaseSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    @Test
    void expandAppliesOnlyExpandChangesetsAndContractTheRest() throws Exception {
        await(migrator.expand(changelog("orders-v1.xml"), "t1"));
        assertThat(columns("orders")).containsExactly("id", "customer");

        Migrator.MigrationResult expand = await(migrator.expand(changelog("orders-v2.xml"), "t2"));
        assertThat(expand.changes()).isEqualTo(1);
        assertThat(columns("orders")).containsExactly("id", "customer", "client");

        Migrator.MigrationResult contract = await(migrator.contract(changelog("orders-v2.xml")));
        assertThat(contract.changes()).isEqualTo(1);
        assertThat(columns("orders")).containsExactly("id", "client");
    }

    @Test
    void planShowsEachPhasesSqlWithoutRunningIt() throws Exception {
        await(migrator.expand(changelog("orders-v1.xml"), "t1"));
        String expand = await(migrator.plan(changelog("orders-v2.xml"), Migrator.Phase.EXPAND));
        String contract = await(migrator.plan(changelog("orders-v2.xml"), Migrator.Phase.CONTRACT));
        assertThat(expand).containsIgnoringCase("ALTER TABLE").containsIgnoringCase("ADD client");
        assertThat(contract).containsIgnoringCase("DROP COLUMN customer");
        assertThat(columns("orders")).containsExactly("id", "customer");
    }

    @Test
    void undoExpandReturnsToTheTag() throws Exception {
        await(migrator.expand(changelog("orders-v1.xml"), "before-v1"));
        await(migrator.expand(changelog("orders-v2.xml"), "before-v2"));
        await(migrator.undoExpand(changelog("orders-v2.xml"), "before-v2"));
        assertThat(columns("orders")).containsExactly("id", "customer");
    }

    @Test
    void aFailingExpandIsUndoneBackToTheTag() throws Exception {
        await(migrator.expand(changelog("orders-v1.xml"), "before-v1"));
        assertThatThrownBy(() -> await(migrator.expand(changelog("orders-v2-failing-expand.xml"), "before-v2")))
                .hasMessageContaining("no_such_type");
        assertThat(columns("orders")).containsExactly("id", "customer", "client");
        await(migrator.undoExpand(changelog("orders-v2-failing-expand.xml"), "before-v2"));
        assertThat(columns("orders")).containsExactly("id", "customer");
    }

    @Test
    void aTableLockHeldElsewhereIsWaitedForBoundedThenRetried() throws Exception {
        LiquibaseSettings bounded = new LiquibaseSettings(true, Duration.ofMillis(200), 2);
        await(migrator.expand(changelog("orders-v1.xml"), "t1"));
        Connection holder = db.open();
        holder.setAutoCommit(false);
        holder.createStatement().execute("lock table orders in access exclusive mode");

        // Held throughout: three attempts of at most 200 ms each, then a message that says what to do.
        assertThatThrownBy(() -> await(new LiquibaseMigrator(vertx, db, bounded).expand(changelog("orders-v2.xml"), "t2")))
                .hasMessageContaining("gave up after 3 attempt(s)")
                .hasMessageContaining("migrator.lockTimeout (200ms)")
                .hasMessageContaining("pg_stat_activity");
        assertThat(columns("orders")).containsExactly("id", "customer");

        // Released while the migration waits or backs off: a later attempt succeeds.
        Future<Migrator.MigrationResult> patient = new LiquibaseMigrator(vertx, db,
                new LiquibaseSettings(true, Duration.ofMillis(200), 20)).expand(changelog("orders-v2.xml"), "t3");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLocks() > 0);
        holder.rollback();
        holder.close();
        await(patient);
        assertThat(columns("orders")).containsExactly("id", "customer", "client");
    }

    private int waitingForLocks() throws Exception {
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void checkRejectsAnUnlabelledChangesetByName() {
        assertThatThrownBy(() -> await(migrator.check(changelog("unlabelled.xml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2-no-label")
                .hasMessageContaining("'expand'");
    }

    @Test
    void checkRejectsAMalformedChangelogNamingTheFile() {
        assertThatThrownBy(() -> await(migrator.check(changelog("malformed.xml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("malformed.xml");
    }

    @Test
    void checkRejectsAnExpandThatCannotBeUndoneUnlessThePolicySaysSo() {
        assertThatThrownBy(() -> await(migrator.check(changelog("no-rollback.xml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("undoExpand");
        await(new LiquibaseMigrator(vertx, db, new LiquibaseSettings(false, null, null)).check(changelog("no-rollback.xml")));
    }

    @Test
    void checkRejectsAMissingFile() {
        assertThatThrownBy(() -> await(migrator.check("/nonexistent/changelog.xml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("file not found");
    }

    @Test
    void theMigrationLockIsASessionLockThatDiesWithItsHolder() throws Exception {
        // Another session holds the lock (a migration in flight): ours waits, then succeeds once the holder dies.
        Connection holder = db.open();
        try (Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + 0x4C514253 + ", hashtext('liquibase:public'))");
        }
        Future<Migrator.MigrationResult> waiting = migrator.expand(changelog("orders-v1.xml"), "t1");
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !waiting.isComplete());
        holder.close(); // the holder's session ends as a killed process's would
        await(waiting);
        assertThat(columns("orders")).containsExactly("id", "customer");
        assertThat(tableExists("databasechangeloglock")).as("no lock table that could outlive a crash").isFalse();
    }

    private List<String> columns(String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery(
                "select column_name from information_schema.columns where table_name = '" + table + "' order by ordinal_position")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private boolean tableExists(String table) throws Exception {
        try (Connection c = db.open(); ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from information_schema.tables where table_name = '" + table + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    static String changelog(String name) {
        return "classpath:changelogs/" + name;
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
        }
    }
}
