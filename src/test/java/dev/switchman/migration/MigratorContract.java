package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.Migrator.MigrationResult;
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
        /** An expand change, then a change marked as neither expand nor contract. */
        NEITHER_PHASE
    }

    /** The migrator under test, on {@code db}. */
    protected abstract Migrator migrator(Vertx vertx, DatabaseInfo db);

    /** What the migrator is given as the changes of {@code fixture}, e.g. a changelog's path. */
    protected abstract String changes(Fixture fixture);

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
    void checkRefusesAChangeInNeitherPhaseAndTouchesNothing() throws Exception {
        assertThatThrownBy(() -> await(migrator.check(changes(Fixture.NEITHER_PHASE))))
                .as("bad input, so the release stops before it starts")
                .isInstanceOf(ConfigException.class);
        assertThat(snapshot()).as("no table, no history").isEmpty();
    }

    @Test
    void checkAcceptsChangesThatEachHaveOnePhase() {
        // So that the refusal above is about the unphased change, not a check that refuses everything.
        await(migrator.check(changes(Fixture.ORDERS_V2)));
    }

    @Test
    void expandAppliesOnlyTheExpandChanges() throws Exception {
        await(migrator.expand(changes(Fixture.ORDERS_V1), "before-v1"));
        assertThat(columns("orders")).containsExactly("id", "customer");

        MigrationResult expand = await(migrator.expand(changes(Fixture.ORDERS_V2), "before-v2"));
        assertThat(expand.changes()).as("only the change not applied yet").isEqualTo(1);
        assertThat(columns("orders")).as("customer is still there for blue: dropping it is a contract change")
                .containsExactly("id", "customer", "client");
    }

    @Test
    void undoExpandReturnsTheSchemaToTheTagTakenBeforeExpand() throws Exception {
        await(migrator.expand(changes(Fixture.ORDERS_V1), "before-v1"));
        await(migrator.expand(changes(Fixture.ORDERS_V2), "before-v2"));
        await(migrator.undoExpand(changes(Fixture.ORDERS_V2), "before-v2"));
        assertThat(columns("orders")).containsExactly("id", "customer");
    }

    @Test
    void undoExpandOfATagNeverWrittenIsHarmless() throws Exception {
        // A release that failed before its expand: first on an empty database, then on one with history.
        assertThat(await(migrator.undoExpand(changes(Fixture.ORDERS_V1), "before-v1")).changes()).isZero();
        assertThat(snapshot()).isEmpty();

        await(migrator.expand(changes(Fixture.ORDERS_V1), "before-v1"));
        List<String> before = snapshot();
        assertThat(await(migrator.undoExpand(changes(Fixture.ORDERS_V2), "before-v2")).changes()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void contractAppliesTheContractChanges() throws Exception {
        await(migrator.expand(changes(Fixture.ORDERS_V1), "before-v1"));
        await(migrator.expand(changes(Fixture.ORDERS_V2), "before-v2"));

        MigrationResult contract = await(migrator.contract(changes(Fixture.ORDERS_V2)));
        assertThat(contract.changes()).isEqualTo(1);
        assertThat(columns("orders")).containsExactly("id", "client");
    }

    @Test
    void planReturnsEachPhasesSqlAndTouchesNothing() throws Exception {
        await(migrator.expand(changes(Fixture.ORDERS_V1), "before-v1"));
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
