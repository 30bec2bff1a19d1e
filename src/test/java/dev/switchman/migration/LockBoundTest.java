package dev.switchman.migration;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.liquibase.LiquibaseMigrator;
import dev.switchman.migration.liquibase.LiquibaseSettings;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock bound, proved with real sessions: an expand changeset that needs an ACCESS EXCLUSIVE lock on a table of
 * a million rows queues behind a long transaction. While it waits, PostgreSQL queues every later query on the
 * table behind it, so without a bound the live version's writes stall for as long as the long transaction runs.
 * With {@code migrator.lockTimeout} each attempt gives up after the timeout, the writes go through between
 * attempts, and the changeset succeeds once the long transaction ends. The figures are in docs/benchmarks.md.
 */
class LockBoundTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(300);
    /** How long the blocking transaction is held: an unbounded migration would stall the writer at least this long. */
    private static final Duration BLOCKER = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    Vertx vertx;
    DatabaseInfo db;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("create table big (id bigserial primary key, v int not null)");
            st.execute("insert into big (v) select g from generate_series(1, 1000000) g");
        }
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    @Test
    void theLiveVersionsWritesStallAtMostAboutTheLockTimeoutAndExpandSucceedsAfterTheBlocker() throws Exception {
        Duration bounded = longestWriteStall(LOCK_TIMEOUT, "note");
        // The same without a bound (an hour), side by side: the writer waits as long as the blocker runs, so this
        // scene is one in which a missing bound shows.
        Duration unbounded = longestWriteStall(Duration.ofHours(1), "note2");
        System.out.printf("lock bound: longest write stall %d ms with lock_timeout %d ms, %d ms without a bound%n",
                bounded.toMillis(), LOCK_TIMEOUT.toMillis(), unbounded.toMillis());

        assertThat(bounded).as("the writer's longest stall").isLessThan(LOCK_TIMEOUT.plus(Duration.ofMillis(1200)));
        assertThat(unbounded).as("without a bound").isGreaterThanOrEqualTo(BLOCKER.minus(Duration.ofMillis(500)));
    }

    /**
     * An expand that adds {@code column} while a long transaction holds the table: the writer's longest single
     * insert meanwhile. The blocker holds on for {@link #BLOCKER} from the moment the ALTER queues for its lock.
     */
    private Duration longestWriteStall(Duration lockTimeout, String column) throws Exception {
        Path changelog = Files.writeString(dir.resolve(column + ".sql"), """
                --liquibase formatted sql
                --changeset t:%1$s labels:expand
                alter table big add column %1$s text;
                --rollback alter table big drop column %1$s;
                """.formatted(column));
        Migrator migrator = new LiquibaseMigrator(vertx, db, new LiquibaseSettings(true, lockTimeout, 100));
        try (Connection blocker = db.open(); Writer writer = new Writer(db)) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("select v from big where id = 1"); // ACCESS SHARE, held until commit
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() > 100);

            Future<Migrator.MigrationResult> expand = migrator.expand(new Migrator.Changes("v2", changelog.toString()),
                    "before-" + column);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(this::alterWaiting);
            Awaitility.await().during(BLOCKER).atMost(BLOCKER.plusSeconds(5)).until(() -> !expand.isComplete());
            blocker.commit();
            await(expand);
            assertThat(Schemas.columns(db, "big")).contains(column);
            return writer.longestStall();
        }
    }

    private boolean alterWaiting() throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement(); var rs = st.executeQuery(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'alter table big%'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** Inserts into the table in a loop, as the live version would, keeping the longest single insert. */
    private static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong longestNanos = new AtomicLong();
        private final AtomicLong writes = new AtomicLong();
        private final Thread thread;

        Writer(DatabaseInfo db) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                try (Connection c = db.open(); PreparedStatement insert = c.prepareStatement("insert into big (v) values (?)")) {
                    while (running.get()) {
                        long start = System.nanoTime();
                        insert.setInt(1, 7);
                        insert.executeUpdate();
                        longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        writes.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        long writes() {
            return writes.get();
        }

        Duration longestStall() {
            return Duration.ofNanos(longestNanos.get());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
