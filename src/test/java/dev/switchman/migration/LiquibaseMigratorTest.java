package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Liquibase kind: the contract on changelogs labelled expand/contract, then what is Liquibase's own. */
class LiquibaseMigratorTest extends MigratorContract {

    @Override
    protected Migrator migrator(Vertx vertx, DatabaseInfo db) {
        return new LiquibaseMigrator(vertx, db, LiquibaseSettings.defaults());
    }

    @Override
    protected Migrator.Changes changes(Fixture fixture) {
        return changelog(switch (fixture) {
            case ORDERS_V1 -> "orders-v1.xml";
            case ORDERS_V2 -> "orders-v2.xml";
            case REFUSED -> "unlabelled.xml";
        });
    }

    @Override
    protected String historyTable() {
        return "databasechangelog";
    }

    @Test
    void eachPhaseCountsTheChangesetsItApplies() {
        assertThat(await(migrator.undoExpand(changelog("orders-v1.xml"), "before-v1")).changes())
                .as("a tag never written: nothing undone").isZero();
        assertThat(await(migrator.expand(changelog("orders-v1.xml"), "before-v1")).changes()).isEqualTo(1);
        assertThat(await(migrator.expand(changelog("orders-v2.xml"), "before-v2")).changes())
                .as("only the change not applied yet").isEqualTo(1);
        assertThat(await(migrator.contract(changelog("orders-v2.xml"))).changes()).isEqualTo(1);
    }

    @Test
    void withoutAChangelogTheCheckSaysWhereToSetOne() {
        assertThatThrownBy(() -> await(migrator.check(new Migrator.Changes("v7", null))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("v7").hasMessageContaining("'changelog'").hasMessageContaining("--changelog");
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
        LiquibaseMigrator held = new LiquibaseMigrator(vertx, db, bounded);
        List<Migrator.Step> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
        held.onLockRetry(retried::add);
        assertThatThrownBy(() -> await(held.expand(changelog("orders-v2.xml"), "t2")))
                .hasMessageContaining("gave up after 3 attempt(s)")
                .hasMessageContaining("migrator.lockTimeout (200ms)")
                .hasMessageContaining("pg_stat_activity");
        assertThat(retried).as("the retries the release's metrics count").containsExactly(Migrator.Step.EXPAND, Migrator.Step.EXPAND);
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
        assertThatThrownBy(() -> await(migrator.check(new Migrator.Changes("v1", "/nonexistent/changelog.xml"))))
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
        assertThat(Schemas.tableExists(db, "databasechangeloglock")).as("no lock table that could outlive a crash").isFalse();
    }

    static Migrator.Changes changelog(String name) {
        return new Migrator.Changes("v1", "classpath:changelogs/" + name);
    }
}
