package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.Migrator.Phase;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Migrator} must do, against a fresh real database per test. A kind's test extends this and
 * supplies the migrator and the fixtures' changes in its own tool's format (changelogs, migration scripts...),
 * so the release flow can rely on the same phases whatever runs them.
 */
public abstract class MigratorContract {
    protected Vertx vertx;
    protected DatabaseInfo db;
    protected Migrator migrator;

    /** The schema changes each kind writes in its own format; {@code orders} is the one table they touch. */
    protected enum Fixture {
        /** Expand: create {@code orders (id, customer)}. No contract changes. */
        ORDERS_V1,
        /**
         * V1's changes, then one more expand change (add {@code orders.client}) and one contract change (drop
         * {@code orders.customer}).
         */
        ORDERS_V2,
        /**
         * Changes the migrator's check must refuse: for Liquibase an expand change, then one marked as neither
         * expand nor contract; for a tool run through commands, a version whose commands cannot be built.
         */
        REFUSED
    }

    /** The migrator under test, on {@code db}. */
    protected abstract Migrator migrator(Vertx vertx, DatabaseInfo db);

    /** What the migrator is given as the changes of {@code fixture}: a version and, e.g., a changelog's path. */
    protected abstract Migrator.Changes changes(Fixture fixture);

    /** The table in which the tool records what it has applied, in the default schema. */
    protected abstract String historyTable();

    @BeforeEach
    void startMigrator() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        migrator = migrator(vertx, db);
    }

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    @Test
    void checkRefusesChangesItCannotRunAndTouchesNothing() throws Exception {
        assertThatThrownBy(() -> await(migrator.check(changes(Fixture.REFUSED))))
                .as("bad input, so the release stops before it starts")
                .isInstanceOf(ConfigException.class);
        assertThat(snapshot()).as("no table, no history").isEmpty();
    }

    @Test
    void checkAcceptsChangesThatEachHaveOnePhase() {
        // So that the refusal above is about those changes, not a check that refuses everything.
        await(migrator.check(changes(Fixture.ORDERS_V2)));
    }

    @Test
    void expandAppliesOnlyTheExpandChanges() throws Exception {
        expand(Fixture.ORDERS_V1);
        assertThat(columns("orders")).containsExactly("id", "customer");

        expand(Fixture.ORDERS_V2);
        assertThat(columns("orders")).as("customer is still there for blue: dropping it is a contract change")
                .containsExactly("id", "customer", "client");
    }

    @Test
    void undoExpandReturnsTheSchemaToWhatItWasBeforeExpand() throws Exception {
        expand(Fixture.ORDERS_V1);
        String before = expand(Fixture.ORDERS_V2);
        await(migrator.undoExpand(changes(Fixture.ORDERS_V2), before));
        assertThat(columns("orders")).containsExactly("id", "customer");

        // Undone, the changes can be applied again: the next release of the same version starts from here.
        expand(Fixture.ORDERS_V2);
        assertThat(columns("orders")).containsExactly("id", "customer", "client");
    }

    @Test
    void undoExpandOfAnExpandThatNeverRanIsHarmless() throws Exception {
        // A release that failed before its expand: first on an empty database, then on one with history.
        String empty = await(migrator.schemaBefore(changes(Fixture.ORDERS_V1), "before-v1"));
        await(migrator.undoExpand(changes(Fixture.ORDERS_V1), empty));
        assertThat(Schemas.columns(db, "orders")).isEmpty();

        expand(Fixture.ORDERS_V1);
        List<String> before = snapshot();
        String v1 = await(migrator.schemaBefore(changes(Fixture.ORDERS_V2), "before-v2"));
        await(migrator.undoExpand(changes(Fixture.ORDERS_V2), v1));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void contractAppliesTheContractChanges() throws Exception {
        expand(Fixture.ORDERS_V1);
        expand(Fixture.ORDERS_V2);

        await(migrator.contract(changes(Fixture.ORDERS_V2)));
        assertThat(columns("orders")).containsExactly("id", "client");
    }

    /** Expand as a release does it: the schema named first, then the changes. Returns the name. */
    protected String expand(Fixture fixture) {
        String before = await(migrator.schemaBefore(changes(fixture), "before-" + fixture));
        await(migrator.expand(changes(fixture), before));
        return before;
    }

    @Test
    void planReturnsEachPhasesSqlAndTouchesNothing() throws Exception {
        expand(Fixture.ORDERS_V1);
        List<String> before = snapshot();

        String expand = await(migrator.plan(changes(Fixture.ORDERS_V2), Phase.EXPAND));
        String contract = await(migrator.plan(changes(Fixture.ORDERS_V2), Phase.CONTRACT));
        assertThat(expand).containsIgnoringCase("alter table").containsIgnoringCase("client")
                .doesNotContainIgnoringCase("drop column customer");
        assertThat(contract).containsIgnoringCase("drop column customer").doesNotContainIgnoringCase("client");
        assertThat(snapshot()).as("schema and %s as they were", historyTable()).isEqualTo(before);
    }

    @Test
    void planOnAnEmptyDatabaseTouchesNothing() throws Exception {
        String expand = await(migrator.plan(changes(Fixture.ORDERS_V1), Phase.EXPAND));
        assertThat(expand).containsIgnoringCase("create table").containsIgnoringCase("orders");
        assertThat(snapshot()).as("not even %s is created", historyTable()).isEmpty();
    }

    protected List<String> columns(String table) throws SQLException {
        return Schemas.columns(db, table);
    }

    private List<String> snapshot() throws SQLException {
        return Schemas.snapshot(db, historyTable());
    }
}
