package dev.switchman.store;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.ConflictException;
import dev.switchman.model.Endpoint;
import dev.switchman.model.ReleaseState;
import dev.switchman.model.SlotRecord;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PgReleaseStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private Vertx vertx;
    private DatabaseInfo db;
    private PgReleaseStore store;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        store = PgReleaseStore.connect(vertx, Clock.fixed(NOW, ZoneOffset.UTC), db);
        await(store.migrate());
        await(store.migrate()); // a second run finds nothing to do
    }

    @AfterEach
    void tearDown() {
        store.close();
        vertx.close();
    }

    @Test
    void oneUnfinishedReleasePerApplicationEnforcedByTheDatabase() {
        ReleaseRecord first = await(store.begin("shop", "v2", Colour.BLUE, "v1", Colour.GREEN, "db/changelog.xml"));
        assertThat(first.state()).isEqualTo(ReleaseState.RUNNING);
        assertThat(first.startedAt()).isEqualTo(NOW);
        await(store.gateReached(first.id(), "expand"));

        assertThatThrownBy(() -> await(store.begin("shop", "v3", Colour.BLUE, "v1", Colour.GREEN, null)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("#" + first.id())
                .hasMessageContaining("interrupted at gate expand")
                .hasMessageContaining("switchman rollback");
        // Another application is not held.
        await(store.begin("billing", "v1", null, null, Colour.BLUE, null));

        await(store.transition(first.id(), ReleaseState.ROLLING_BACK, "expand", "manual"));
        await(store.transition(first.id(), ReleaseState.ROLLED_BACK, null, null));
        ReleaseRecord next = await(store.begin("shop", "v3", Colour.BLUE, "v1", Colour.GREEN, null));
        assertThat(await(store.unfinished("shop"))).map(ReleaseRecord::id).contains(next.id());
        assertThat(await(store.history("shop", 10))).extracting(ReleaseRecord::id).containsExactly(next.id(), first.id());
    }

    @Test
    void aReleaseRowIsAtTheLockGateUntilItReachesTheNext() throws Exception {
        ReleaseRecord r = await(store.begin("shop", "v2", Colour.BLUE, "v1", Colour.GREEN, null));
        // The lock gate creates the row: a coordinator killed before expand leaves it there.
        assertThat(r.gate()).isEqualTo("lock");
        assertThatThrownBy(() -> await(store.begin("shop", "v3", Colour.BLUE, "v1", Colour.GREEN, null)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("release #" + r.id() + " of shop (v2) was interrupted at gate lock")
                .hasMessageNotContaining("null");

        // A row an earlier version left without a gate reads the same.
        execute("update switchman.releases set gate = null where id = " + r.id());
        assertThat(await(store.unfinished("shop")).orElseThrow().gate()).isEqualTo("lock");
        assertThat(Conflicts.describe("shop", await(store.unfinished("shop")).orElseThrow()))
                .contains("interrupted at gate lock");
    }

    @Test
    void theSchemaTagIsTheLastReleasesWhoseSchemaIsIn() {
        assertThat(await(store.schemaTag("shop", true))).isEmpty();
        ended("v1", "t1", false, ReleaseState.RELEASED);
        assertThat(await(store.schemaTag("shop", true))).contains("t1");

        // Rolled back before traffic reached it: expand was undone, unless the migrator keeps it.
        ended("v2", "t2", false, ReleaseState.ROLLED_BACK);
        assertThat(await(store.schemaTag("shop", true))).contains("t1");
        assertThat(await(store.schemaTag("shop", false))).contains("t2");
        // Rolled back before expand: nothing of it is in.
        ended("v3", null, false, ReleaseState.ROLLED_BACK);
        assertThat(await(store.schemaTag("shop", true))).contains("t1");

        // Unfinished once its expand ran; past contract.
        ReleaseRecord running = await(store.begin("shop", "v4", Colour.BLUE, "v1", Colour.GREEN, null));
        assertThat(await(store.schemaTag("shop", true))).as("before expand").contains("t1");
        await(store.schemaTagged(running.id(), "t4"));
        assertThat(await(store.schemaTag("shop", true))).contains("t4");
        await(store.transition(running.id(), ReleaseState.FAILED_PAST_CONTRACT, "contract", "broken"));
        assertThat(await(store.schemaTag("shop", true))).contains("t4");

        // Rolled back after traffic reached it: expand was kept (backward compatible).
        ended("v5", "t5", true, ReleaseState.ROLLED_BACK);
        assertThat(await(store.schemaTag("shop", true))).contains("t5");
        // Another application's releases are not this one's schema.
        assertThat(await(store.schemaTag("billing", true))).isEmpty();
    }

    /** A release of shop that reached expand (when {@code tag} is set) and ended in {@code state}. */
    private void ended(String version, String tag, boolean trafficShifted, ReleaseState state) {
        ReleaseRecord r = await(store.begin("shop", version, Colour.BLUE, "v0", Colour.GREEN, null));
        if (tag != null) {
            await(store.schemaTagged(r.id(), tag));
        }
        if (trafficShifted) {
            await(store.trafficShifted(r.id()));
        }
        if (state == ReleaseState.ROLLED_BACK) {
            await(store.transition(r.id(), ReleaseState.ROLLING_BACK, "check-new", "failed"));
        }
        await(store.transition(r.id(), state, null, null));
    }

    @Test
    void theBackupTakenBeforeExpandIsRecordedOnTheRelease() {
        ReleaseRecord r = await(store.begin("shop", "v2", Colour.BLUE, "v1", Colour.GREEN, null));
        assertThat(r.backup()).isNull();
        await(store.backedUp(r.id(), new ReleaseRecord.Backup("/var/backups/shop-1-v2.dump", 1_234_567, 840)));

        ReleaseRecord read = await(store.history("shop", 1)).getFirst();
        assertThat(read.backup()).isEqualTo(new ReleaseRecord.Backup("/var/backups/shop-1-v2.dump", 1_234_567, 840));
        assertThat(read.backup().describe()).isEqualTo("/var/backups/shop-1-v2.dump, 1.2 MB, in 840 ms");
        assertThat(await(store.unfinished("shop")).orElseThrow().backup()).as("rollback reads it too").isEqualTo(read.backup());
    }

    @Test
    void backupSizesAndDurationsReadAsPeopleWriteThem() {
        assertThat(ReleaseRecord.Backup.size(0)).isEqualTo("0 B");
        assertThat(ReleaseRecord.Backup.size(999)).isEqualTo("999 B");
        assertThat(ReleaseRecord.Backup.size(1000)).isEqualTo("1.0 kB");
        assertThat(ReleaseRecord.Backup.size(999_960)).isEqualTo("1.0 MB");
        assertThat(ReleaseRecord.Backup.size(5_300_000_000L)).isEqualTo("5.3 GB");
        assertThat(new ReleaseRecord.Backup("/b", 10, 12_345).describe()).isEqualTo("/b, 10 B, in 12.3 s");
    }

    @Test
    void onlyAllowedTransitions() {
        ReleaseRecord r = await(store.begin("shop", "v2", null, null, Colour.BLUE, null));
        assertThatThrownBy(() -> await(store.transition(r.id(), ReleaseState.ROLLED_BACK, null, null)))
                .hasMessageContaining("cannot become ROLLED_BACK");
        ReleaseRecord done = await(store.transition(r.id(), ReleaseState.RELEASED, null, null));
        assertThat(done.endedAt()).isEqualTo(NOW);
        assertThatThrownBy(() -> await(store.transition(r.id(), ReleaseState.ROLLING_BACK, null, null)))
                .hasMessageContaining("RELEASED");
    }

    @Test
    void theReleaseLockIsHeldBySessionAndDiesWithIt() throws Exception {
        PgReleaseStore other = PgReleaseStore.connect(vertx, Clock.systemUTC(), db);
        try {
            assertThat(await(store.tryLock("shop"))).isTrue();
            assertThat(await(other.tryLock("shop"))).isFalse();
            assertThat(await(other.tryLock("billing"))).isTrue();
        } finally {
            other.close();
        }
        store.close(); // the coordinator's session dies
        PgReleaseStore third = PgReleaseStore.connect(vertx, Clock.systemUTC(), db);
        try {
            assertThat(await(third.tryLock("shop"))).isTrue();
            assertThat(await(third.tryLock("billing"))).as("freed when its session ended").isTrue();
        } finally {
            third.close();
        }
        store = PgReleaseStore.connect(vertx, Clock.systemUTC(), db);
    }

    @Test
    void slotsLiveStateAndEvents() {
        Instant started = NOW.truncatedTo(ChronoUnit.MILLIS);
        SlotRecord green = new SlotRecord("shop", Colour.GREEN, "v2", "4242", started,
                List.of(new Endpoint("127.0.0.1", 8082), new Endpoint("10.0.0.2", 8082)), "/tmp/green.log");
        await(store.saveSlot(green));
        assertThat(await(store.slot("shop", Colour.GREEN))).contains(green);
        await(store.saveSlot(new SlotRecord("shop", Colour.GREEN, "v3", "4243", started, List.of(new Endpoint("127.0.0.1", 8082)), null)));
        assertThat(await(store.slot("shop", Colour.GREEN)).orElseThrow().version()).isEqualTo("v3");
        await(store.deleteSlot("shop", Colour.GREEN));
        assertThat(await(store.slots("shop"))).isEmpty();

        assertThat(await(store.live("shop"))).isEmpty();
        await(store.setLive("shop", Colour.GREEN, "v2"));
        assertThat(await(store.live("shop")).orElseThrow().colour()).isEqualTo(Colour.GREEN);

        ReleaseRecord r = await(store.begin("shop", "v2", null, null, Colour.BLUE, null));
        await(store.append(new Event(r.id(), "expand", Event.Kind.STARTED, NOW, null, null)));
        await(store.append(new Event(r.id(), "expand", Event.Kind.PASSED, NOW, 412L, "1 changeset")));
        assertThat(await(store.events(r.id()))).extracting(Event::kind, Event::durationMs)
                .containsExactly(Tuple.tuple(Event.Kind.STARTED, null),
                        Tuple.tuple(Event.Kind.PASSED, 412L));
    }

    @Test
    void holdsLockIsAboutThisSessionAndUnlockFreesTheLock() throws Exception {
        assertThat(await(store.holdsLock("shop"))).isFalse();
        assertThat(await(store.tryLock("shop"))).isTrue();
        assertThat(await(store.holdsLock("shop"))).isTrue();
        assertThat(await(store.holdsLock("billing"))).as("one lock per application").isFalse();
        PgReleaseStore other = PgReleaseStore.connect(vertx, Clock.systemUTC(), db);
        try {
            assertThat(await(other.holdsLock("shop"))).as("held, but by another session").isFalse();
            await(store.unlock("shop"));
            assertThat(await(store.holdsLock("shop"))).isFalse();
            assertThat(await(other.tryLock("shop"))).as("free once unlocked").isTrue();
        } finally {
            other.close();
        }
    }

    @Test
    void lockHeldSeesAnySessionsLockOfThisDatabaseWithoutTakingIt() throws Exception {
        PgReleaseStore other = PgReleaseStore.connect(vertx, Clock.systemUTC(), db);
        PgReleaseStore elsewhere = PgReleaseStore.connect(vertx, Clock.systemUTC(), TestDatabase.fresh());
        try {
            assertThat(await(other.lockHeld("shop"))).isFalse();
            assertThat(await(store.tryLock("shop"))).isTrue();
            assertThat(await(other.lockHeld("shop"))).as("held by another session").isTrue();
            assertThat(await(store.lockHeld("shop"))).as("held by this one").isTrue();
            assertThat(await(other.lockHeld("billing"))).as("one lock per application").isFalse();
            assertThat(await(other.holdsLock("shop"))).as("reading it took nothing").isFalse();
            // The same application's lock in another database of the server is another store's.
            assertThat(await(elsewhere.lockHeld("shop"))).isFalse();
            assertThat(await(elsewhere.tryLock("billing"))).isTrue();
            assertThat(await(other.lockHeld("billing"))).isFalse();
            await(store.unlock("shop"));
            assertThat(await(other.lockHeld("shop"))).isFalse();
            assertThat(single("select count(*) from pg_locks where locktype = 'advisory' and database ="
                    + " (select oid from pg_database where datname = current_database())")).isEqualTo("0");
        } finally {
            other.close();
            elsewhere.close();
        }
    }

    @Test
    void migrateSkipsLiquibaseWhileTheChangelogHashMatches() throws Exception {
        // Liquibase, had it run, would find no history and fail creating tables that exist.
        execute("delete from switchman.databasechangelog");
        await(store.migrate());
        assertThat(single("select count(*) from switchman.databasechangelog")).isEqualTo("0");
    }

    @Test
    void migrateRunsLiquibaseAgainWhenTheHashDiffers() throws Exception {
        execute("update switchman.schema_version set changelog_sha256 = 'stale'");
        await(store.migrate());
        assertThat(single("select string_agg(changelog_sha256, ',') from switchman.schema_version"))
                .isEqualTo(changelogSha256());
    }

    private void execute(String statement) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private String single(String query) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String changelogSha256() throws Exception {
        try (InputStream in = PgReleaseStoreTest.class.getClassLoader().getResourceAsStream("db/switchman/changelog.xml")) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
